"use client";

import { AlertTriangle, Gift, Pause, Play, PhoneOff } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { cn } from "@/lib/cn";
import { formatRate } from "@/lib/format";
import { formatMoney } from "@/lib/money";
import type { RoomBilling } from "@/lib/billingService";
import { formatClock } from "@/lib/sessionUtils";

/**
 * Always visible in the room: elapsed time, rate, cost so far, time left, balance and warnings, with
 * pause/resume and end. Numbers are the browser's projection of the server's; ending asks first.
 */
export function SessionTimer({
  billing,
  role,
  status,
  rateCentsPerMinute,
  busy,
  onPause,
  onResume,
  onEnd,
  topUp,
  resumer = null,
}: {
  billing: RoomBilling | null;
  role: "client" | "advisor";
  status: "active" | "paused";
  rateCentsPerMinute: number;
  busy: boolean;
  onPause: () => void;
  onResume: () => void;
  onEnd: () => void;
  topUp?: ReactNode;
  /** Who may resume this pause (only the side that paused; the client after a funds pause). */
  resumer?: "client" | "advisor" | null;
}) {
  const warning = billing?.warning ?? "none";
  const urgent = warning === "one_minute" || warning === "exhausted";
  return (
    <section
      aria-label="Session timer"
      className={cn(
        "sticky top-16 z-30 rounded-xl border bg-white/95 p-2 shadow-sm backdrop-blur sm:p-3",
        urgent ? "border-red-300" : warning === "two_minutes" ? "border-amber-300" : "border-slate-200",
      )}
      data-testid="session-timer"
    >
      {/* Compact on a phone: one row of short labels (the rate is in the room's heading), buttons beside or below. */}
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <dl className="grid min-w-0 flex-1 grid-cols-4 gap-x-3 gap-y-1 text-sm sm:grid-cols-5 sm:gap-x-6">
          <Stat label="Elapsed" testId="timer-elapsed" value={formatClock(billing?.elapsedSeconds ?? 0)} />
          <Stat label="Rate" value={formatRate(rateCentsPerMinute)} className="max-sm:hidden" />
          <Stat
            label={role === "client" ? "Cost so far" : "Earned so far"}
            shortLabel={role === "client" ? "Cost" : "Earned"}
            testId="timer-cost"
            value={formatMoney(role === "client" ? (billing?.clientCents ?? 0) : (billing?.shareCents ?? 0))}
          />
          <Stat
            label="Time left"
            shortLabel="Left"
            testId="timer-left"
            value={billing ? formatClock(billing.secondsLeft) : "—"}
            tone={urgent ? "danger" : warning === "two_minutes" ? "warning" : undefined}
          />
          {role === "client" && billing?.liveAvailableCents !== null && billing?.liveAvailableCents !== undefined ? (
            <Stat label="Balance" testId="timer-balance" value={formatMoney(billing.liveAvailableCents)} />
          ) : null}
        </dl>
        <div className="flex gap-2 max-sm:w-full max-sm:[&>*]:flex-1">
          {status === "active" ? (
            <Button variant="secondary" size="sm" onClick={onPause} disabled={busy} data-testid="pause-session">
              <Pause aria-hidden="true" /> Pause
            </Button>
          ) : resumer === null || resumer === role ? (
            <Button variant="secondary" size="sm" onClick={onResume} disabled={busy} data-testid="resume-session">
              <Play aria-hidden="true" /> Resume
            </Button>
          ) : (
            <p className="self-center text-xs text-slate-600" data-testid="resume-waiting">
              Only the {resumer} can resume.
            </p>
          )}
          <ConfirmDialog
            trigger={
              <Button variant="danger" size="sm" disabled={busy} data-testid="end-session">
                <PhoneOff aria-hidden="true" /> End
              </Button>
            }
            title="End this session?"
            description={
              role === "client"
                ? `You will be charged for the time so far (${formatMoney(billing?.clientCents ?? 0)}) and get a receipt.`
                : "The client is charged for the time so far and the session closes for both of you."
            }
            confirmLabel="End session"
            tone="danger"
            onConfirm={onEnd}
          />
        </div>
      </div>
      {billing && billing.freeSeconds > 0 ? (
        <p className="mt-2 flex items-center gap-2 text-sm text-emerald-700" data-testid="free-time">
          <Gift className="size-4" aria-hidden="true" />
          {billing.inFreeTime
            ? `Free time: ${formatClock(billing.freeSecondsLeft)} left, then ${formatRate(rateCentsPerMinute)} begins.`
            : "Your free minutes are used; paid time has begun."}
        </p>
      ) : null}
      {billing?.warningText ? (
        <div
          role="alert"
          className={cn(
            "mt-2 flex flex-wrap items-center gap-2 rounded-lg px-3 py-2 text-sm",
            urgent ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900",
          )}
          data-testid="funds-warning"
          data-level={warning}
        >
          <AlertTriangle className="size-4" aria-hidden="true" />
          <span className="flex-1">{billing.warningText}</span>
          {role === "client" ? topUp : null}
        </div>
      ) : null}
    </section>
  );
}

function Stat({
  label,
  shortLabel,
  value,
  testId,
  tone,
  className,
}: {
  label: string;
  shortLabel?: string;
  value: string;
  testId?: string;
  tone?: "warning" | "danger";
  className?: string;
}) {
  return (
    <div className={cn("min-w-0", className)}>
      <dt className="truncate text-xs text-slate-500">
        {shortLabel ? (
          <>
            <span className="sm:hidden" aria-hidden="true">
              {shortLabel}
            </span>
            <span className="max-sm:sr-only">{label}</span>
          </>
        ) : (
          label
        )}
      </dt>
      <dd
        className={cn(
          "font-semibold tabular-nums",
          tone === "danger" ? "text-red-700" : tone === "warning" ? "text-amber-700" : "text-slate-900",
        )}
        data-testid={testId}
      >
        {value}
      </dd>
    </div>
  );
}
