"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import { format, formatDistanceToNowStrict } from "date-fns";
import { AlertTriangle, ChevronRight, HandCoins } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/money";
import { SETTLEMENT_METHOD_LABELS } from "./labels";
import { ReceivableSourceLink } from "./ReceivableSourceLink";

/**
 * The advisor's dashboard section: disputes about their sessions that wait for their response (answered from
 * the session receipt), and what they owe after refunds or corrections, with how it is settled.
 */
export function AdvisorDisputes() {
  const disputes = useQuery(api.disputes.forAdvisor, {});
  const receivables = useQuery(api.disputes.myReceivables, {});
  if (disputes === undefined || receivables === undefined) return null;
  const toAnswer = disputes.filter((d) => d.status === "open" && d.advisorResponse === null);
  const underReview = disputes.filter((d) => d.status === "open" && d.advisorResponse !== null).length;
  const owed = receivables.filter((r) => r.status === "open" && r.remainingCents > 0);
  const owedCents = owed.reduce((total, r) => total + r.remainingCents, 0);
  if (toAnswer.length === 0 && underReview === 0 && owedCents === 0) return null;

  return (
    <div className="flex flex-col gap-4" data-testid="advisor-disputes">
      {toAnswer.length > 0 || underReview > 0 ? (
        <Card className={toAnswer.length > 0 ? "border-amber-200" : undefined}>
          <CardHeader className="flex-row items-center gap-3">
            <AlertTriangle className="size-5 text-amber-600" aria-hidden="true" />
            <CardTitle>
              {toAnswer.length > 0
                ? `Disputes waiting for your response (${toAnswer.length})`
                : "Disputes under review"}
            </CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            {toAnswer.length > 0 ? (
              <>
                <p className="text-slate-600">
                  A client disputed a session. Give your side once from the receipt; an admin reads both before deciding
                  on a refund.
                </p>
                <ul
                  className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200"
                  data-testid="advisor-dispute-list"
                >
                  {toAnswer.map((d) => (
                    <li key={d._id}>
                      <Link
                        href={`/session/${d.sessionId}/receipt`}
                        className="flex items-center gap-3 p-3 hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
                        data-testid="advisor-dispute-row"
                      >
                        <div className="min-w-0 flex-1">
                          <p className="font-medium text-slate-900">
                            {d.clientName}: {d.categoryLabel}
                          </p>
                          <p className="truncate text-slate-600">{d.description}</p>
                          <p className="text-xs text-slate-500">
                            Opened {formatDistanceToNowStrict(d.createdAt)} ago · asks back{" "}
                            {formatMoney(d.requestedRefundCents)}
                          </p>
                        </div>
                        <span className="hidden text-brand-700 sm:inline">Respond</span>
                        <ChevronRight className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {underReview > 0 ? (
              <p className="text-slate-600">
                {underReview} {underReview === 1 ? "dispute you answered is" : "disputes you answered are"} waiting for
                an admin&apos;s decision.
              </p>
            ) : null}
          </CardContent>
        </Card>
      ) : null}
      {owedCents > 0 ? (
        <Card data-testid="advisor-owes">
          <CardHeader className="flex-row items-center gap-3">
            <HandCoins className="size-5 text-brand-600" aria-hidden="true" />
            <CardTitle>You owe {formatMoney(owedCents)}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            <p className="text-slate-600">
              Nothing to do on your side: this is taken from your next earnings as they become available, before they
              can be withdrawn. Support may also settle it with you directly.
            </p>
            <ul className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200">
              {owed.map((r) => (
                <li key={r._id} className="flex flex-col gap-0.5 p-3">
                  <p className="flex flex-wrap justify-between gap-2">
                    <span className="font-medium text-slate-900">
                      {r.source === "refund" ? "Refund to a client" : "Correction of your pay"}
                    </span>
                    <span className="font-medium tabular-nums">{formatMoney(r.remainingCents)}</span>
                  </p>
                  <p className="break-words text-slate-600">{r.reason}</p>
                  <p className="text-xs text-slate-500">
                    {format(r.createdAt, "d MMM yyyy")}
                    {r.remainingCents !== r.amountCents
                      ? ` · ${formatMoney(r.amountCents - r.remainingCents)} of ${formatMoney(r.amountCents)} settled`
                      : ""}
                    {r.settlements.length > 0
                      ? ` (${[...new Set(r.settlements.map((s) => SETTLEMENT_METHOD_LABELS[s.method].toLowerCase()))].join(", ")})`
                      : ""}{" "}
                    · <ReceivableSourceLink receivable={r} messagesHref="/advisor-dashboard/messages" />
                  </p>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
