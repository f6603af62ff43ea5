"use client";

import { useRef, useState } from "react";
import { useMutation } from "convex/react";
import { Check, CircleAlert, Clock } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Avatar } from "@/components/ui/avatar";
import { LoadingRows } from "@/components/ui/misc";
import { PayoutAccountCard, PayoutStatusLine } from "@/components/advisors/PayoutAccountCard";
import { formatBps } from "@/lib/money";
import { userMessage } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { ONBOARDING_STEPS } from "@/lib/advisors/rules";
import { AboutStep } from "./setup/AboutStep";
import { ExpertiseStep } from "./setup/ExpertiseStep";
import { PhotoStep } from "./setup/PhotoStep";
import { RatesStep } from "./setup/RatesStep";
import { DocumentStep } from "./setup/DocumentStep";
import { ReviewStep } from "./setup/ReviewStep";
import { type Mine, useMyProfile } from "./setup/shared";

const STATUS_TEXT = {
  draft: { tone: "neutral", label: "Draft" },
  submitted: { tone: "warning", label: "Under review" },
  approved: { tone: "success", label: "Approved" },
  rejected: { tone: "danger", label: "Changes needed" },
  suspended: { tone: "danger", label: "Suspended" },
} as const;

export function AdvisorProfileSetup() {
  const mine = useMyProfile();
  const start = useMutation(api.advisorApplications.start);
  const [step, setStep] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const current = step ?? (mine ? Math.min(mine.onboardingStep, ONBOARDING_STEPS.length - 1) : 0);
  const goTo = (next: number) => {
    setStep(next);
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  if (mine === undefined) return <LoadingRows rows={4} label="Loading your profile" />;
  if (mine === null) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Become an advisor</CardTitle>
          <CardDescription>
            Tell clients what you know, set your per-minute rates, and go live once an admin has approved your profile.
            It takes about five minutes; your progress is saved after every step.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          <Button
            className="self-start"
            disabled={starting}
            onClick={() => {
              setStarting(true);
              setError(null);
              start({})
                .catch((e: unknown) => setError(userMessage(e)))
                .finally(() => setStarting(false));
            }}
          >
            {starting ? "Starting…" : "Start your application"}
          </Button>
          {error ? (
            <p role="alert" className="text-sm text-red-600">
              {error}
            </p>
          ) : null}
        </CardContent>
      </Card>
    );
  }

  const editable = mine.status !== "submitted" && mine.status !== "suspended";
  return (
    <div className="flex flex-col gap-6">
      <StatusBanner mine={mine} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[220px_minmax(0,1fr)]">
        <nav aria-label="Onboarding steps" className="-mx-4 min-w-0 overflow-x-auto px-4 lg:mx-0 lg:px-0">
          <ol className="flex gap-2 lg:flex-col">
            {ONBOARDING_STEPS.map((s, i) => {
              const done = i < mine.onboardingStep;
              const active = i === current;
              return (
                <li key={s.key} className="shrink-0">
                  <button
                    type="button"
                    onClick={() => goTo(i)}
                    aria-current={active ? "step" : undefined}
                    className={cn(
                      "flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
                      active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100",
                    )}
                  >
                    <span
                      className={cn(
                        "flex size-6 items-center justify-center rounded-full border text-xs",
                        done
                          ? "border-emerald-500 bg-emerald-500 text-white"
                          : active
                            ? "border-brand-600 text-brand-700"
                            : "border-slate-300",
                      )}
                      aria-hidden="true"
                    >
                      {done ? <Check className="size-3.5" /> : i + 1}
                    </span>
                    {s.title}
                    <span className="sr-only">{done ? " (saved)" : ""}</span>
                  </button>
                </li>
              );
            })}
          </ol>
          <p className="mt-2 hidden text-xs text-slate-500 lg:block" data-testid="onboarding-progress">
            {Math.min(mine.onboardingStep, ONBOARDING_STEPS.length)} of {ONBOARDING_STEPS.length} steps saved
          </p>
        </nav>
        <Card>
          <CardHeader>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
              Step {current + 1} of {ONBOARDING_STEPS.length}
            </p>
            <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900 outline-none">
              {ONBOARDING_STEPS[current]!.title}
            </h2>
          </CardHeader>
          <CardContent>
            {!editable && current < ONBOARDING_STEPS.length - 1 ? (
              <p className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
                {mine.status === "submitted"
                  ? "Your application is under review; you can edit it again once it has been reviewed."
                  : "Your profile is suspended and cannot be edited."}
              </p>
            ) : null}
            <fieldset disabled={!editable} className="contents">
              {current === 0 ? <AboutStep mine={mine} onDone={() => goTo(1)} /> : null}
              {current === 1 ? <ExpertiseStep mine={mine} onDone={() => goTo(2)} onBack={() => goTo(0)} /> : null}
              {current === 2 ? <PhotoStep mine={mine} onDone={() => goTo(3)} onBack={() => goTo(1)} /> : null}
              {current === 3 ? <RatesStep mine={mine} onDone={() => goTo(4)} onBack={() => goTo(2)} /> : null}
              {current === 4 ? <DocumentStep mine={mine} onDone={() => goTo(5)} onBack={() => goTo(3)} /> : null}
            </fieldset>
            {current === 5 ? <ReviewStep mine={mine} onBack={() => goTo(4)} onEdit={goTo} /> : null}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

function StatusBanner({ mine }: { mine: Mine }) {
  const s = STATUS_TEXT[mine.status];
  return (
    <Card>
      <CardContent className="flex flex-col gap-3 pt-5 sm:flex-row sm:items-center sm:justify-between">
        <div className="flex items-center gap-3">
          <Avatar name={mine.displayName || "You"} src={mine.avatarUrl} size={48} />
          <div>
            <p className="font-semibold text-slate-900">{mine.displayName || "Your profile"}</p>
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
              Status:{" "}
              <Badge tone={s.tone} data-testid="profile-status">
                {s.label}
              </Badge>
              {mine.status === "approved" ? <span>Platform fee {formatBps(mine.feeBps)}</span> : null}
            </p>
          </div>
        </div>
        {mine.status === "approved" ? null : <PayoutStatusLine />}
      </CardContent>
      {mine.status === "approved" ? (
        <CardContent>
          <PayoutAccountCard />
        </CardContent>
      ) : null}
      {mine.statusReason && (mine.status === "rejected" || mine.status === "suspended") ? (
        <CardContent>
          <div
            role="status"
            className="flex gap-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
            data-testid="status-reason"
          >
            <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <div>
              <p className="font-medium">
                {mine.status === "rejected" ? "Your application needs changes" : "Your profile is suspended"}
              </p>
              <p>{mine.statusReason}</p>
              {mine.status === "rejected" ? (
                <p className="mt-1">Update your profile and submit it again from the last step.</p>
              ) : null}
            </div>
          </div>
        </CardContent>
      ) : null}
      {mine.status === "submitted" ? (
        <CardContent>
          <p className="flex items-center gap-2 text-sm text-slate-600">
            <Clock className="size-4 text-amber-600" aria-hidden="true" /> Thanks! An admin is reviewing your
            application. You will be listed once it is approved.
          </p>
        </CardContent>
      ) : null}
    </Card>
  );
}
