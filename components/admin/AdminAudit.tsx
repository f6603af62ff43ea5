"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { usePaginatedQuery, useQuery } from "convex/react";
import { format } from "date-fns";
import { ScrollText } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Select } from "@/components/ui/select";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { formatMoney, isCents } from "@/lib/money";

const PAGE_SIZE = 30;

export type AuditEntry = {
  _id: string;
  action: string;
  actorId: string | null;
  actorName: string | null;
  targetTable: string;
  targetId: string;
  details: string | null;
  createdAt: number;
};

const ACTION_LABELS: Record<string, string> = {
  "user.suspended": "User suspended",
  "user.reinstated": "User reinstated",
  "user.role_changed": "Role changed",
  "wallet.credit_limit_set": "Credit limit set",
  "session.force_end": "Session force-ended",
  "payout.approve": "Payout approved",
  "payout.reject": "Payout rejected",
  "payout.retry": "Payout retried",
  "payout.cancel": "Payout cancelled",
  "adjustment.create": "Adjustment created",
  "clawback.transfer_reversal": "Clawback (transfer reversal)",
  "advisor.approved": "Advisor approved",
  "advisor.rejected": "Advisor rejected",
  "advisor.suspended": "Advisor suspended",
  "advisor.reinstated": "Advisor reinstated",
  "advisor.fee_changed": "Advisor fee changed",
  "advisor.application_submitted": "Advisor application submitted",
  "advisor.presence_timeout": "Advisor set offline (timeout)",
  "alert.acknowledged": "Alert acknowledged",
  "billing.reconcile_now": "Reconciliation run",
  "billing.reserve_settings_set": "Reserve settings changed",
  "ledger.check_run": "Ledger check run",
};

/** Filter choices: an area ("user.") or one action; the backend matches the action by prefix. */
const ACTION_FILTERS: { value: string; label: string }[] = [
  { value: "user.", label: "Users (all)" },
  { value: "user.suspended", label: "User suspended" },
  { value: "user.reinstated", label: "User reinstated" },
  { value: "user.role_changed", label: "Role changed" },
  { value: "wallet.", label: "Wallets and credit limits" },
  { value: "advisor.", label: "Advisors" },
  { value: "session.", label: "Sessions" },
  { value: "payout.", label: "Payouts" },
  { value: "adjustment.", label: "Adjustments" },
  { value: "clawback.", label: "Clawbacks" },
  { value: "billing.", label: "Billing settings" },
  { value: "ledger.", label: "Ledger checks" },
  { value: "alert.", label: "Alerts" },
];

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action.replace(/[._]/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function targetHref(table: string, id: string): string | null {
  if (table === "users") return `/admin/users/${id}`;
  if (table === "sessions") return `/admin/sessions/${id}`;
  if (table === "sessionDisputes") return `/admin/disputes/${id}`;
  return null;
}

function humanKey(key: string): string {
  return key
    .replace(/Cents$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

function show(key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (/Cents$/.test(key) && isCents(value)) return formatMoney(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the details JSON: the reason, before → after pairs, and any other fields. */
export function parseDetails(details: string | null): {
  reason: string | null;
  changes: { key: string; before: string; after: string }[];
  other: { key: string; value: string }[];
  raw: string | null;
} {
  if (details === null || details === "") return { reason: null, changes: [], other: [], raw: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return { reason: null, changes: [], other: [], raw: details };
  }
  if (!isRecord(parsed)) return { reason: null, changes: [], other: [], raw: details };
  const changes: { key: string; before: string; after: string }[] = [];
  const other: { key: string; value: string }[] = [];
  const before = isRecord(parsed.before) ? parsed.before : null;
  const after = isRecord(parsed.after) ? parsed.after : null;
  if (before || after) {
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    for (const key of keys)
      changes.push({ key: humanKey(key), before: show(key, before?.[key]), after: show(key, after?.[key]) });
  }
  if ("fromCents" in parsed || "toCents" in parsed) {
    changes.push({
      key: "amount",
      before: show("fromCents", parsed.fromCents),
      after: show("toCents", parsed.toCents),
    });
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (["before", "after", "reason", "fromCents", "toCents"].includes(key)) continue;
    other.push({ key: humanKey(key), value: show(key, value) });
  }
  return { reason: typeof parsed.reason === "string" ? parsed.reason : null, changes, other, raw: null };
}

/** One audit entry: what, who, on what, when, before → after and the reason. Read-only. */
export function AuditEntryView({ entry, showTarget = true }: { entry: AuditEntry; showTarget?: boolean }) {
  const d = parseDetails(entry.details);
  const href = targetHref(entry.targetTable, entry.targetId);
  return (
    <li
      className="flex flex-col gap-1.5 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="audit-row"
      data-action={entry.action}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <p className="font-semibold text-slate-900">{actionLabel(entry.action)}</p>
          <Badge tone="neutral" className="font-mono">
            {entry.action}
          </Badge>
        </div>
        <time dateTime={new Date(entry.createdAt).toISOString()} className="text-sm tabular-nums text-slate-500">
          {format(entry.createdAt, "d MMM yyyy, HH:mm:ss")}
        </time>
      </div>
      <p className="text-sm text-slate-700">
        By{" "}
        <span className="font-medium" data-testid="audit-actor">
          {entry.actorId === null ? "System" : (entry.actorName ?? "Deleted user")}
        </span>
        {showTarget ? (
          <>
            {" · on "}
            {href ? (
              <Link
                href={href}
                className="break-all font-mono text-xs text-brand-700 underline-offset-4 hover:underline"
                data-testid="audit-target"
              >
                {entry.targetTable}/{entry.targetId}
              </Link>
            ) : (
              <span className="break-all font-mono text-xs" data-testid="audit-target">
                {entry.targetTable}/{entry.targetId}
              </span>
            )}
          </>
        ) : null}
      </p>
      {d.changes.length > 0 ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm" data-testid="audit-changes">
          {d.changes.map((c) => (
            <div key={c.key} className="contents">
              <dt className="text-slate-500">{c.key}</dt>
              <dd className="break-words text-slate-800">
                <span className="text-slate-500">{c.before}</span> <span aria-label="changed to">→</span>{" "}
                <span className="font-medium">{c.after}</span>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {d.reason ? (
        <p className="break-words text-sm text-slate-800" data-testid="audit-reason">
          <span className="text-slate-500">Reason:</span> {d.reason}
        </p>
      ) : null}
      {d.other.length > 0 ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
          {d.other.map((o) => (
            <div key={o.key} className="contents">
              <dt className="text-slate-500">{o.key}</dt>
              <dd className="break-all text-slate-700">{o.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {d.raw ? <p className="break-all font-mono text-xs text-slate-600">{d.raw}</p> : null}
    </li>
  );
}

export type AuditFilters = { actor: string; action: string };

/** The audit log: every admin (and system) action, newest first; filter by actor and action. Append-only: nothing here edits it. */
export function AdminAudit({ initial }: { initial: AuditFilters }) {
  const router = useRouter();
  const pathname = usePathname();
  const [actor, setActor] = useState(initial.actor);
  const [action, setAction] = useState(initial.action);
  const ids = { actor: useId(), action: useId() };
  const actors = useQuery(api.audit.actors, {});

  useEffect(() => {
    const params = new URLSearchParams();
    if (actor) params.set("actor", actor);
    if (action) params.set("action", action);
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [actor, action, router, pathname]);

  const { results, status, loadMore } = usePaginatedQuery(
    api.audit.list,
    { ...(actor ? { actorId: actor } : {}), ...(action ? { actionPrefix: action } : {}) },
    { initialNumItems: PAGE_SIZE },
  );
  const filtered = actor !== "" || action !== "";
  const knownAction = action === "" || ACTION_FILTERS.some((f) => f.value === action);

  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={ids.action}>Action</Label>
          <Select
            id={ids.action}
            options={knownAction ? ACTION_FILTERS : [{ value: action, label: action }, ...ACTION_FILTERS]}
            allLabel="All actions"
            value={action}
            onValueChange={setAction}
            data-testid="audit-action-filter"
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={ids.actor}>Actor</Label>
          <Select
            id={ids.actor}
            options={[
              { value: "system", label: "System (automatic)" },
              ...(actors ?? []).map((a) => ({ value: a._id as string, label: a.name || a.email })),
              ...(actor !== "" && actor !== "system" && actors !== undefined && !actors.some((a) => a._id === actor)
                ? [{ value: actor, label: `Other (${actor})` }]
                : []),
            ]}
            allLabel="Anyone"
            value={actor}
            onValueChange={setActor}
            data-testid="audit-actor-filter"
          />
        </div>
      </div>
      <p className="text-sm text-slate-500">
        Newest first. Entries are written by the system when an action happens and can never be edited or removed.
      </p>
      {status === "LoadingFirstPage" ? (
        <LoadingRows label="Loading audit log" rows={5} />
      ) : results.length === 0 && status === "Exhausted" ? (
        <EmptyState icon={<ScrollText />} title={filtered ? "No entries match" : "No entries yet"}>
          {filtered
            ? "Try another action or actor."
            : "Admin actions such as suspensions, role changes and credit limits show here."}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="audit-list">
          {results.map((e) => (
            <AuditEntryView key={e._id} entry={e} />
          ))}
        </ul>
      )}
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <Button
          variant="secondary"
          className="self-center"
          disabled={status === "LoadingMore"}
          onClick={() => loadMore(PAGE_SIZE)}
          data-testid="audit-load-more"
        >
          {status === "LoadingMore" ? "Loading…" : results.length === 0 ? "Look further back" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
