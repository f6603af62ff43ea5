"use client";

import { useState } from "react";
import { usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { X } from "lucide-react";
import { optionsOf, Select } from "@/components/ui/select";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { LoadingRows, LoadMoreButton } from "@/components/ui/misc";
import { ACCOUNT_KINDS, CHART_OF_ACCOUNTS, type AccountKind } from "@/lib/ledger/accounts";
import { JOURNAL_TYPES, JOURNAL_TYPE_LABELS, type JournalType } from "@/lib/ledger/legs";
import { JournalDetail } from "./JournalDetail";
import { money } from "./ledgerMoney";

const REFERENCE_KINDS = [
  { value: "session", label: "Session id" },
  { value: "payout", label: "Payout id" },
  { value: "dispute", label: "Dispute id" },
  { value: "processor_event", label: "Processor event id" },
  { value: "reverses", label: "Reverses journal id" },
  { value: "idempotency_key", label: "Idempotency key" },
] as const;
type ReferenceKind = (typeof REFERENCE_KINDS)[number]["value"];

function dayStartMs(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(`${value}T00:00:00`).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

type SelectedAccount = { _id: Id<"accounts">; label: string; ownerName: string | null };

/** `initialJournalId` opens one journal on arrival (links like /admin/billing/ledger?journal=<id>). */
export function LedgerExplorer({ initialJournalId = null }: { initialJournalId?: Id<"journals"> | null }) {
  const [kind, setKind] = useState<AccountKind | "">("");
  const [account, setAccount] = useState<SelectedAccount | null>(null);
  const [type, setType] = useState<JournalType | "">("");
  const [referenceKind, setReferenceKind] = useState<ReferenceKind>("session");
  const [referenceValue, setReferenceValue] = useState("");
  const [fromDate, setFromDate] = useState("");
  const [toDate, setToDate] = useState("");
  const [journalId, setJournalId] = useState<Id<"journals"> | null>(initialJournalId);

  const toStart = dayStartMs(toDate);
  const filters = {
    ...(type ? { type } : {}),
    ...(account ? { accountId: account._id } : {}),
    ...(referenceValue.trim() ? { reference: { kind: referenceKind, value: referenceValue.trim() } } : {}),
    ...(dayStartMs(fromDate) !== undefined ? { fromMs: dayStartMs(fromDate) } : {}),
    ...(toStart !== undefined ? { toMs: toStart + 24 * 60 * 60 * 1000 - 1 } : {}),
  };

  return (
    <div className="flex flex-col gap-6">
      <AccountsCard kind={kind} onKind={setKind} selectedId={account?._id ?? null} onSelect={(a) => setAccount(a)} />

      <Card>
        <CardHeader>
          <CardTitle>Journals</CardTitle>
          <CardDescription>
            Newest first. A reference filter wins over the account filter, which wins over the type-only view; the type
            also narrows an account&apos;s journals.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <div className="flex flex-col gap-1">
              <Label htmlFor="ledger-type">Type</Label>
              <Select
                id="ledger-type"
                options={optionsOf(JOURNAL_TYPES, (t) => JOURNAL_TYPE_LABELS[t])}
                allLabel="All types"
                value={type}
                onValueChange={setType}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="ledger-ref-kind">Reference</Label>
              <Select
                id="ledger-ref-kind"
                options={REFERENCE_KINDS}
                value={referenceKind}
                onValueChange={(r) => r !== "" && setReferenceKind(r)}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="ledger-ref">Reference value</Label>
              <Input
                id="ledger-ref"
                placeholder="Paste an id"
                value={referenceValue}
                onChange={(e) => setReferenceValue(e.target.value)}
              />
            </div>
            <div className="grid grid-cols-2 gap-2">
              <div className="flex flex-col gap-1">
                <Label htmlFor="ledger-from">From</Label>
                <Input id="ledger-from" type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
              </div>
              <div className="flex flex-col gap-1">
                <Label htmlFor="ledger-to">To</Label>
                <Input id="ledger-to" type="date" value={toDate} onChange={(e) => setToDate(e.target.value)} />
              </div>
            </div>
          </div>
          {account ? (
            <div className="flex items-center gap-2 text-sm">
              <span className="text-slate-600">Account:</span>
              <Badge tone="brand">
                {account.label}
                {account.ownerName ? ` · ${account.ownerName}` : ""}
                <button
                  type="button"
                  aria-label="Clear account filter"
                  onClick={() => setAccount(null)}
                  className="ml-1"
                >
                  <X className="size-3" />
                </button>
              </Badge>
            </div>
          ) : null}
          <JournalList
            filters={filters}
            selectedId={journalId}
            onSelect={setJournalId}
            showAccountColumns={account !== null && !referenceValue.trim()}
          />
        </CardContent>
      </Card>
      {journalId ? (
        <aside
          aria-label="Journal detail"
          className="fixed inset-y-0 right-0 z-40 w-full max-w-md overflow-y-auto border-l border-slate-200 bg-slate-50 p-4 shadow-xl"
        >
          <JournalDetail journalId={journalId} onSelect={setJournalId} onClose={() => setJournalId(null)} />
        </aside>
      ) : null}
    </div>
  );
}

function AccountsCard({
  kind,
  onKind,
  selectedId,
  onSelect,
}: {
  kind: AccountKind | "";
  onKind: (kind: AccountKind | "") => void;
  selectedId: Id<"accounts"> | null;
  onSelect: (account: SelectedAccount) => void;
}) {
  const { results, status, loadMore } = usePaginatedQuery(api.ledger.listAccounts, kind ? { kind } : {}, {
    initialNumItems: 25,
  });
  return (
    <Card>
      <CardHeader className="sm:flex-row sm:items-end sm:justify-between">
        <div>
          <CardTitle>Accounts</CardTitle>
          <CardDescription>
            Live balances on each account&apos;s normal side. House totals add up their shard rows.
          </CardDescription>
        </div>
        <div className="flex flex-col gap-1 sm:w-64">
          <Label htmlFor="ledger-kind">Kind</Label>
          <Select
            id="ledger-kind"
            options={optionsOf(ACCOUNT_KINDS, (k) => CHART_OF_ACCOUNTS[k].label)}
            allLabel="All kinds"
            value={kind}
            onValueChange={onKind}
          />
        </div>
      </CardHeader>
      <CardContent>
        {status === "LoadingFirstPage" ? (
          <LoadingRows rows={3} label="Loading accounts" />
        ) : results.length === 0 ? (
          <p className="text-sm text-slate-500">No accounts yet. Accounts are created by their first journal.</p>
        ) : (
          <div className="max-h-[28rem] overflow-auto">
            <table className="w-full text-sm" data-testid="ledger-accounts">
              <thead className="sticky top-0 bg-white text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-3 font-medium">Account</th>
                  <th className="py-2 pr-3 font-medium">Owner</th>
                  <th className="py-2 pr-3 text-right font-medium">Debits</th>
                  <th className="py-2 pr-3 text-right font-medium">Credits</th>
                  <th className="py-2 pr-3 text-right font-medium">Balance</th>
                  <th className="py-2 pr-3 font-medium">Floor</th>
                  <th className="py-2 font-medium" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {results.map((a) => (
                  <tr key={a._id} className={selectedId === a._id ? "bg-brand-50" : undefined}>
                    <td className="py-2 pr-3">
                      <span className="font-medium text-slate-900">{a.label}</span>{" "}
                      <span className="text-xs text-slate-500">
                        {a.normalSide === "debit" ? "Dr" : "Cr"} · {a.currency}
                        {a.sharded ? ` · ${a.shardRows} shard rows` : ""}
                      </span>
                    </td>
                    <td className="py-2 pr-3 text-slate-700">
                      {a.ownerName ?? <span className="text-slate-500">House</span>}
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums text-slate-600">
                      {money(a.debitsCents, a.currency)}
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums text-slate-600">
                      {money(a.creditsCents, a.currency)}
                    </td>
                    <td
                      className={`py-2 pr-3 text-right font-medium tabular-nums ${a.balanceCents < 0 ? "text-red-700" : "text-slate-900"}`}
                    >
                      {money(a.balanceCents, a.currency)}
                    </td>
                    <td className="py-2 pr-3 text-slate-600">
                      {a.floorCents === null ? "none" : money(a.floorCents, a.currency)}
                    </td>
                    <td className="py-2 text-right">
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => onSelect({ _id: a._id, label: a.label, ownerName: a.ownerName })}
                      >
                        Journals
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMoreButton
          status={status}
          onLoadMore={() => loadMore(25)}
          label="More accounts"
          size="sm"
          className="mt-3"
        />
      </CardContent>
    </Card>
  );
}

type JournalFilters = {
  type?: JournalType;
  accountId?: Id<"accounts">;
  reference?: { kind: ReferenceKind; value: string };
  fromMs?: number;
  toMs?: number;
};

function JournalList({
  filters,
  selectedId,
  onSelect,
  showAccountColumns,
}: {
  filters: JournalFilters;
  selectedId: Id<"journals"> | null;
  onSelect: (id: Id<"journals">) => void;
  showAccountColumns: boolean;
}) {
  const { results, status, loadMore } = usePaginatedQuery(api.ledger.listJournals, filters, { initialNumItems: 25 });
  if (status === "LoadingFirstPage") return <LoadingRows rows={4} label="Loading journals" />;
  if (results.length === 0)
    return <p className="py-6 text-center text-sm text-slate-500">No journals match these filters.</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="ledger-journals">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3 font-medium">When</th>
              <th className="py-2 pr-3 font-medium">Type</th>
              <th className="py-2 pr-3 font-medium">Memo / key</th>
              {showAccountColumns ? (
                <>
                  <th className="py-2 pr-3 text-right font-medium">Dr</th>
                  <th className="py-2 pr-3 text-right font-medium">Cr</th>
                </>
              ) : null}
              <th className="py-2 text-right font-medium">Amount</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {results.map((j) => (
              <tr
                key={`${j._id}-${j.accountDebitCents ?? ""}-${j.accountCreditCents ?? ""}`}
                onClick={() => onSelect(j._id)}
                className={`cursor-pointer hover:bg-slate-50 ${selectedId === j._id ? "bg-brand-50" : ""}`}
              >
                <td className="whitespace-nowrap py-2 pr-3 text-slate-600">
                  {format(j.createdAt, "d MMM yyyy, HH:mm:ss")}
                </td>
                <td className="py-2 pr-3">
                  <Badge tone={j.type === "reversal" || j.type === "chargeback_opened" ? "warning" : "neutral"}>
                    {j.typeLabel}
                  </Badge>
                </td>
                <td className="max-w-64 py-2 pr-3">
                  <button
                    type="button"
                    className="block w-full truncate text-left text-slate-900"
                    onClick={() => onSelect(j._id)}
                  >
                    {j.memo || j.idempotencyKey}
                  </button>
                  {j.memo ? <span className="block truncate text-xs text-slate-500">{j.idempotencyKey}</span> : null}
                </td>
                {showAccountColumns ? (
                  <>
                    <td className="py-2 pr-3 text-right tabular-nums">
                      {j.accountDebitCents ? money(j.accountDebitCents, j.currency) : ""}
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">
                      {j.accountCreditCents ? money(j.accountCreditCents, j.currency) : ""}
                    </td>
                  </>
                ) : null}
                <td className="py-2 text-right font-medium tabular-nums">{money(j.amountCents, j.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(25)} size="sm" />
    </div>
  );
}
