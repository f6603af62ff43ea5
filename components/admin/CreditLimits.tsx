"use client";

import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { toast } from "sonner";
import { CreditCard, Search } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { StatusBadge } from "@/components/admin/AdminUsers";
import { useTypedBeforeHydration } from "@/hooks/useTypedBeforeHydration";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { EmptyState, LoadMoreButton, LoadingRows, Skeleton } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { MoneyField } from "@/components/ui/text-fields";
import { cn } from "@/lib/cn";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatMoney, tryParseMoneyInput } from "@/lib/money";
import { CREDIT_LIMIT_MAX_CENTS } from "@/lib/payments/topupAmounts";

type LimitState = "ok" | "near" | "over";
const PAGE_SIZE = 25;
const STATE_LABELS: Record<LimitState, string> = { ok: "Within limit", near: "Near limit", over: "At or past limit" };
const STATE_TONE: Record<LimitState, "success" | "warning" | "danger"> = {
  ok: "success",
  near: "warning",
  over: "danger",
};

/** A button opening a dialog to set a client's credit limit: amount and reason, confirmed; audited by the backend. */
function SetLimitButton({
  userId,
  name,
  currentCents,
  label,
}: {
  userId: Id<"users">;
  name: string;
  currentCents: number | null;
  label: string;
}) {
  const setLimit = useMutation(api.topups.setClientCreditLimit);
  const [amount, setAmount] = useState("");
  const parsed = tryParseMoneyInput(amount, { allowZero: true, maxCents: CREDIT_LIMIT_MAX_CENTS });
  return (
    <ReasonDialog
      trigger={
        <Button variant="secondary" size="sm" data-testid="credit-limit-change" aria-label={`${label} for ${name}`}>
          {label}
        </Button>
      }
      title={`Set the credit limit for ${name}?`}
      description={
        <>
          {currentCents === null ? "" : `Now ${formatMoney(currentCents)}. `}
          From $0.00 to {formatMoney(CREDIT_LIMIT_MAX_CENTS)}; $0.00 removes the limit. The client can spend this much
          below zero. The change and reason are kept in the audit log.
        </>
      }
      label="Reason"
      confirmLabel="Set limit"
      tone="primary"
      inputTestId="credit-limit-reason"
      submitTestId="credit-limit-submit"
      onOpen={() => setAmount(currentCents === null ? "" : centsToDecimalString(currentCents))}
      blocked={!parsed.ok}
      extraFields={(showProblems) => (
        <MoneyField
          label="New credit limit"
          value={amount}
          onChange={setAmount}
          problem={parsed.ok ? null : parsed.error}
          showProblem={showProblems}
          testId="credit-limit-amount"
        />
      )}
      onConfirm={async (reason) => {
        if (!parsed.ok) return parsed.error;
        try {
          await setLimit({ userId, creditLimitCents: parsed.cents, reason });
          toast.success(`${name}'s credit limit is now ${formatMoney(parsed.cents)}.`);
          return null;
        } catch (e) {
          return userMessage(e);
        }
      }}
    />
  );
}

/** Clients with a credit limit, their usage (near or past the limit highlighted), and setting a limit for any client. */
export function CreditLimits() {
  const totals = useQuery(api.adminUsers.creditLimitTotals, {});
  const { results, status, loadMore } = usePaginatedQuery(
    api.adminUsers.creditLimits,
    {},
    { initialNumItems: PAGE_SIZE },
  );
  const computing = totals !== undefined && !totals.exact;
  const figure = (text: string) => (computing ? "Computing…" : text);

  return (
    <div className="flex flex-col gap-6">
      {totals === undefined ? (
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4" role="status" aria-label="Loading totals">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-20" />
          ))}
        </div>
      ) : (
        <div className="flex flex-col gap-2">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="credit-limit-totals">
            <Stat label="Clients with a limit" value={figure(String(totals.wallets))} />
            <Stat
              label="Near the limit"
              value={figure(String(totals.near))}
              tone={!computing && totals.near > 0 ? "warning" : undefined}
            />
            <Stat
              label="At or past it"
              value={figure(String(totals.over))}
              tone={!computing && totals.over > 0 ? "danger" : undefined}
            />
            <Stat
              label="Credit in use"
              value={figure(`${formatMoney(totals.usedCents)} of ${formatMoney(totals.limitCents)}`)}
            />
          </dl>
          {computing ? (
            <p className="text-sm text-slate-600" role="status" data-testid="credit-limit-computing">
              Counting the limits set before these totals were kept; the totals and the list are complete in a few
              minutes.
            </p>
          ) : null}
        </div>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Clients with a credit limit</CardTitle>
          <CardDescription>
            At or past the limit first, then near it (80 % or more in use), then the rest; larger limits first.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {status === "LoadingFirstPage" ? (
            <LoadingRows label="Loading credit limits" />
          ) : results.length === 0 ? (
            <EmptyState icon={<CreditCard />} title="No client has a credit limit">
              Clients pay from their balance only. Find a client below to give them a limit.
            </EmptyState>
          ) : (
            <ul className="flex flex-col gap-3" data-testid="credit-limit-list">
              {results.map((r) => (
                <li
                  key={r.userId}
                  className={cn(
                    "flex flex-col gap-3 rounded-xl border bg-white p-4 shadow-sm sm:flex-row sm:items-center sm:justify-between",
                    r.state === "over"
                      ? "border-red-300 bg-red-50/40"
                      : r.state === "near"
                        ? "border-amber-300 bg-amber-50/40"
                        : "border-slate-200",
                  )}
                  data-testid="credit-limit-row"
                  data-user-id={r.userId}
                  data-email={r.email}
                  data-state={r.state}
                >
                  <div className="flex min-w-0 flex-1 flex-col gap-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link
                        href={`/admin/users/${r.userId}`}
                        className="font-semibold text-slate-900 underline-offset-4 hover:underline"
                      >
                        {r.name || r.email}
                      </Link>
                      <Badge tone={STATE_TONE[r.state]}>{STATE_LABELS[r.state]}</Badge>
                      {r.status === "suspended" ? <StatusBadge status={r.status} /> : null}
                    </div>
                    <p className="truncate text-sm text-slate-600">{r.email}</p>
                    <p className="text-sm tabular-nums text-slate-800">
                      Using <span data-testid="credit-limit-used">{formatMoney(r.usedCents)}</span> of{" "}
                      <span className="font-medium" data-testid="credit-limit-value">
                        {formatMoney(r.creditLimitCents)}
                      </span>{" "}
                      · balance {formatMoney(r.balanceCents)}
                    </p>
                    <UsageBar used={r.usedCents} limit={r.creditLimitCents} state={r.state} />
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <SetLimitButton
                      userId={r.userId}
                      name={r.name || r.email}
                      currentCents={r.creditLimitCents}
                      label="Change limit"
                    />
                    <Button asChild variant="ghost" size="sm">
                      <Link href={`/admin/users/${r.userId}/wallet`}>Wallet</Link>
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <LoadMoreButton status={status} onLoadMore={() => loadMore(PAGE_SIZE)} />
        </CardContent>
      </Card>

      <FindClient />
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "warning" | "danger" }) {
  return (
    <div
      className={cn(
        "rounded-xl border bg-white p-4 shadow-sm",
        tone === "danger" ? "border-red-300" : tone === "warning" ? "border-amber-300" : "border-slate-200",
      )}
    >
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd
        className={cn(
          "mt-1 text-lg font-semibold tabular-nums",
          tone === "danger" ? "text-red-700" : tone === "warning" ? "text-amber-800" : "text-slate-900",
        )}
      >
        {value}
      </dd>
    </div>
  );
}

function UsageBar({ used, limit, state }: { used: number; limit: number; state: LimitState }) {
  // Whole percent for display only (the amounts themselves stay in cents).
  const percent = limit <= 0 ? 0 : Math.min(100, Math.floor((used * 100) / limit));
  return (
    <div
      role="meter"
      aria-label="Credit in use"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent} % of the limit in use`}
      className="h-2 w-full max-w-xs overflow-hidden rounded-full bg-slate-100"
    >
      <div
        className={cn(
          "h-full rounded-full",
          state === "over" ? "bg-red-500" : state === "near" ? "bg-amber-500" : "bg-emerald-500",
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

/** Search clients by name or email to set a limit for someone who has none yet. */
function FindClient() {
  const [text, setText] = useState("");
  const searchInput = useTypedBeforeHydration(text, setText);
  const [q, setQ] = useState("");
  const inputId = useId();
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const found = useQuery(api.adminUsers.search, q ? { text: q, role: "client" } : "skip");

  return (
    <Card>
      <CardHeader>
        <CardTitle>Set a limit for a client</CardTitle>
        <CardDescription>Find a client by name or email.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div className="flex flex-col gap-1.5 sm:max-w-md">
          <Label htmlFor={inputId}>Client</Label>
          <div className="relative">
            <Search
              className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-slate-400"
              aria-hidden="true"
            />
            <Input
              ref={searchInput}
              id={inputId}
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="Name or email"
              className="pl-9"
              autoComplete="off"
              data-testid="credit-limit-search"
            />
          </div>
        </div>
        {q === "" ? null : found === undefined ? (
          <LoadingRows rows={2} label="Searching clients" />
        ) : found.length === 0 ? (
          <p className="text-sm text-slate-600" role="status">
            No client matches “{q}”.
          </p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100" data-testid="credit-limit-search-results">
            {found.map((u) => (
              <li
                key={u._id}
                className="flex flex-col gap-2 py-2 sm:flex-row sm:items-center sm:justify-between"
                data-testid="credit-limit-search-row"
                data-email={u.email}
              >
                <span className="min-w-0 text-sm">
                  <span className="font-medium text-slate-900">{u.name || u.email}</span>{" "}
                  <span className="break-all text-slate-600">{u.email}</span>
                </span>
                <SetLimitButton userId={u._id} name={u.name || u.email} currentCents={null} label="Set limit" />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
