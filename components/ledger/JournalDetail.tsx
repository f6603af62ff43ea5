"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import { format } from "date-fns";
import { X } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { money } from "./ledgerMoney";

/** One journal in the ledger explorer's side panel: its legs, whether they balance, and what it belongs to. */
export function JournalDetail({
  journalId,
  onSelect,
  onClose,
}: {
  journalId: Id<"journals">;
  onSelect: (id: Id<"journals">) => void;
  onClose: () => void;
}) {
  const detail = useQuery(api.ledger.getJournal, { journalId });
  if (detail === undefined) {
    return (
      <Card>
        <CardContent className="flex flex-col gap-3 pt-5">
          <Skeleton className="h-6 w-40" />
          <Skeleton className="h-24 w-full" />
        </CardContent>
      </Card>
    );
  }
  if (detail === null) return <EmptyState title="Journal not found">It may belong to another deployment.</EmptyState>;
  const { journal, entries } = detail;
  const debits = entries.reduce((s, e) => s + e.debitCents, 0);
  const credits = entries.reduce((s, e) => s + e.creditCents, 0);
  return (
    <Card data-testid="ledger-journal-detail">
      <CardHeader className="flex-row items-start justify-between">
        <div>
          <CardTitle>{journal.typeLabel}</CardTitle>
          <CardDescription>
            {format(journal.createdAt, "d MMM yyyy, HH:mm:ss")} · {money(journal.amountCents, journal.currency)}
          </CardDescription>
        </div>
        <Button variant="ghost" size="icon" aria-label="Close journal" onClick={onClose}>
          <X />
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="text-slate-500">Journal</dt>
          <dd className="break-all font-mono text-xs">{journal._id}</dd>
          <dt className="text-slate-500">Idempotency key</dt>
          <dd className="break-all font-mono text-xs">{journal.idempotencyKey}</dd>
          {journal.memo ? (
            <>
              <dt className="text-slate-500">Memo</dt>
              <dd>{journal.memo}</dd>
            </>
          ) : null}
          <dt className="text-slate-500">Actor</dt>
          <dd>{detail.actorName ?? "System"}</dd>
          <dt className="text-slate-500">House shard</dt>
          <dd>{detail.shard}</dd>
        </dl>

        <table className="w-full">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-2 font-medium">Account</th>
              <th className="py-1 pr-2 text-right font-medium">Debit</th>
              <th className="py-1 text-right font-medium">Credit</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {entries.map((e) => (
              <tr key={e._id}>
                <td className="py-1.5 pr-2">
                  {e.accountLabel}
                  {e.ownerName ? <span className="text-slate-500"> · {e.ownerName}</span> : null}
                </td>
                <td className="py-1.5 pr-2 text-right tabular-nums">
                  {e.debitCents ? money(e.debitCents, e.currency) : ""}
                </td>
                <td className="py-1.5 text-right tabular-nums">
                  {e.creditCents ? money(e.creditCents, e.currency) : ""}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-slate-300 font-medium">
            <tr>
              <td className="py-1.5 pr-2">Total</td>
              <td className="py-1.5 pr-2 text-right tabular-nums">{money(debits, journal.currency)}</td>
              <td className="py-1.5 text-right tabular-nums">{money(credits, journal.currency)}</td>
            </tr>
          </tfoot>
        </table>
        {debits === credits ? <Badge tone="success">Balanced</Badge> : <Badge tone="danger">Does not balance</Badge>}

        <div className="flex flex-col gap-1">
          <p className="font-medium text-slate-900">Belongs to</p>
          <ul className="flex flex-col gap-1 text-slate-700">
            {detail.session ? (
              <li>
                <Link className="text-brand-700 hover:underline" href={`/admin/sessions?session=${detail.session._id}`}>
                  {detail.session.kind === "video" ? "Video" : "Chat"} session
                </Link>{" "}
                — {detail.session.clientName} with {detail.session.advisorName}
              </li>
            ) : null}
            {journal.payoutId ? (
              <li>
                <Link className="text-brand-700 hover:underline" href="/admin/payouts">
                  Payout {journal.payoutId}
                </Link>
              </li>
            ) : null}
            {detail.sessionDisputeId ? (
              <li>
                <Link
                  className="text-brand-700 hover:underline"
                  href={`/admin/disputes/${encodeURIComponent(detail.sessionDisputeId)}`}
                >
                  Session dispute {detail.sessionDisputeId}
                </Link>
              </li>
            ) : journal.disputeId ? (
              <li>Chargeback {journal.disputeId}</li>
            ) : null}
            {journal.processorEventId ? <li>Processor event {journal.processorEventId}</li> : null}
            {journal.reversesJournalId ? (
              <li>
                Reverses{" "}
                <button
                  type="button"
                  className="text-brand-700 hover:underline"
                  onClick={() => onSelect(journal.reversesJournalId!)}
                >
                  journal {journal.reversesJournalId}
                </button>
              </li>
            ) : null}
            {detail.reversedBy.map((r) => (
              <li key={r._id}>
                Reversed by{" "}
                <button type="button" className="text-brand-700 hover:underline" onClick={() => onSelect(r._id)}>
                  journal {r._id}
                </button>
              </li>
            ))}
            {!detail.session &&
            !journal.payoutId &&
            !journal.disputeId &&
            !journal.processorEventId &&
            !journal.reversesJournalId &&
            detail.reversedBy.length === 0 ? (
              <li className="text-slate-500">No references.</li>
            ) : null}
          </ul>
        </div>
      </CardContent>
    </Card>
  );
}
