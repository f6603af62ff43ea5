"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import { format } from "date-fns";
import { UserX } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { AuditEntryView } from "@/components/admin/AdminAudit";
import { STATUS_TONE } from "@/components/admin/AdminSessions";
import { RoleBadge, StatusBadge, UserActions } from "@/components/admin/AdminUsers";
import { DISPUTE_STATUS_TONE } from "@/components/disputes/labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows, Skeleton } from "@/components/ui/misc";
import { DISPUTE_CATEGORY_LABELS, DISPUTE_STATUS_LABELS } from "@/lib/disputes";
import { formatDuration } from "@/lib/format";
import { formatMoney } from "@/lib/money";
import { STATUS_LABELS as SESSION_STATUS_LABELS } from "@/lib/sessionUtils";

/** One user for admins: profile with actions, wallet, recent sessions and disputes, and their audit trail. */
export function AdminUserDetail({ userId }: { userId: string }) {
  const data = useQuery(api.adminUsers.detail, { userId });

  if (data === undefined) {
    return (
      <div className="flex flex-col gap-6" role="status" aria-label="Loading user">
        <Skeleton className="h-32 w-full" />
        <LoadingRows rows={3} label="Loading sessions" />
      </div>
    );
  }
  if (data === null) {
    return (
      <EmptyState icon={<UserX />} title="No such user">
        The link may be wrong or out of date.{" "}
        <Link href="/admin/users" className="text-brand-700 underline">
          Back to users
        </Link>
      </EmptyState>
    );
  }
  const { user, wallet, sessions, disputes, audit, isSelf } = data;

  return (
    <div
      className="flex flex-col gap-6"
      data-testid="admin-user-detail"
      data-status={user.status}
      data-role={user.role}
    >
      <Card>
        <CardHeader>
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle>{user.name || "Unnamed user"}</CardTitle>
            <RoleBadge role={user.role} />
            <StatusBadge status={user.status} />
            {isSelf ? <Badge tone="brand">You</Badge> : null}
          </div>
          <CardDescription className="break-all">{user.email}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">Joined {format(user.createdAt, "d MMM yyyy")}</p>
          {user.status === "suspended" ? (
            <p
              className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
              data-testid="user-status-reason"
            >
              Suspended{user.statusReason ? `: ${user.statusReason}` : ""}. They can sign in and read, but cannot start
              sessions, top up or request payouts.
            </p>
          ) : null}
          {isSelf ? (
            <p className="text-sm text-slate-600">
              This is your own account: another admin has to change its role or status.
            </p>
          ) : (
            <UserActions user={user} />
          )}
        </CardContent>
      </Card>

      {wallet !== null ? (
        <Card data-testid="admin-user-wallet">
          <CardHeader>
            <CardTitle>Wallet</CardTitle>
            <CardDescription>Balance and credit limit.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            <dl className="grid grid-cols-2 gap-2 text-sm sm:max-w-sm">
              <dt className="text-slate-600">Balance</dt>
              <dd className="text-right tabular-nums">{formatMoney(wallet.balanceCents, wallet.currency)}</dd>
              <dt className="text-slate-600">Credit limit</dt>
              <dd className="text-right tabular-nums">{formatMoney(wallet.creditLimitCents, wallet.currency)}</dd>
              <dt className="text-slate-600">Available</dt>
              <dd className="text-right font-medium tabular-nums">
                {formatMoney(wallet.availableCents, wallet.currency)}
              </dd>
            </dl>
            <Button asChild variant="secondary" className="self-start">
              <Link href={`/admin/users/${user._id}/wallet`} data-testid="admin-user-wallet-link">
                Wallet and credit limit
              </Link>
            </Button>
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Recent sessions</CardTitle>
          <CardDescription>The latest 20, as client or advisor.</CardDescription>
        </CardHeader>
        <CardContent>
          {sessions.length === 0 ? (
            <p className="text-sm text-slate-600">No sessions yet.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100" data-testid="admin-user-sessions">
              {sessions.map((s) => (
                <li key={s._id}>
                  <Link
                    href={`/admin/sessions/${s._id}`}
                    className="flex flex-col gap-0.5 rounded-md py-2 text-sm hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 sm:flex-row sm:items-center sm:justify-between sm:gap-3"
                  >
                    <span className="flex flex-wrap items-center gap-2">
                      <Badge tone={STATUS_TONE[s.status]}>{SESSION_STATUS_LABELS[s.status]}</Badge>
                      <span className="capitalize">{s.kind}</span>
                      <span className="text-slate-600">
                        {s.asRole === "client" ? "with advisor" : "with client"} {s.counterpart}
                      </span>
                    </span>
                    <span className="tabular-nums text-slate-500">
                      {format(s.requestedAt, "d MMM yyyy, HH:mm")}
                      {s.billableSeconds !== null ? ` · ${formatDuration(s.billableSeconds)}` : ""}
                      {s.costCents !== null ? ` · ${formatMoney(s.costCents)}` : ""}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Disputes</CardTitle>
        </CardHeader>
        <CardContent>
          {disputes.length === 0 ? (
            <p className="text-sm text-slate-600">No disputes.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100" data-testid="admin-user-disputes">
              {disputes.map((d) => (
                <li key={d._id}>
                  <Link
                    href={`/admin/disputes/${d._id}`}
                    className="flex flex-col gap-0.5 rounded-md py-2 text-sm hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 sm:flex-row sm:items-center sm:justify-between sm:gap-3"
                  >
                    <span className="flex flex-wrap items-center gap-2">
                      <Badge tone={DISPUTE_STATUS_TONE[d.status]}>{DISPUTE_STATUS_LABELS[d.status]}</Badge>
                      <span>{DISPUTE_CATEGORY_LABELS[d.category]}</span>
                      <span className="text-slate-600">
                        {d.asRole === "client" ? "against" : "from"} {d.counterpart}
                      </span>
                    </span>
                    <span className="tabular-nums text-slate-500">
                      {format(d.createdAt, "d MMM yyyy")} · asked {formatMoney(d.requestedRefundCents)}
                      {d.refundCents !== null ? ` · refunded ${formatMoney(d.refundCents)}` : ""}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Audit trail</CardTitle>
          <CardDescription>
            Admin actions on this account, newest first.{" "}
            <Link href="/admin/audit" className="text-brand-700 underline-offset-4 hover:underline">
              Full audit log
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent>
          {audit.length === 0 ? (
            <p className="text-sm text-slate-600">No admin actions on this account yet.</p>
          ) : (
            <ul className="flex flex-col gap-3" data-testid="admin-user-audit">
              {audit.map((a) => (
                <AuditEntryView key={a._id} entry={a} showTarget={false} />
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
