import { ArrowRightLeft, Clock, HandCoins, Wallet } from "lucide-react";
import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/misc";
import { formatMoney } from "@/lib/money";

export type Balances = {
  pendingCents: number;
  availableCents: number;
  inTransitCents: number;
  receivableCents: number;
};

function Stat({
  label,
  help,
  icon,
  cents,
  testId,
  tone,
}: {
  label: string;
  help: string;
  icon: ReactNode;
  cents: number | undefined;
  testId: string;
  tone?: "danger" | "success";
}) {
  return (
    <div className="flex flex-col gap-1 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <p className="flex items-center gap-2 text-sm text-slate-600">
        <span className="text-slate-400 [&_svg]:size-4" aria-hidden="true">
          {icon}
        </span>
        {label}
      </p>
      {cents === undefined ? (
        <Skeleton className="h-8 w-24" />
      ) : (
        <p
          className={`text-2xl font-semibold tabular-nums ${tone === "danger" ? "text-red-700" : tone === "success" ? "text-emerald-700" : "text-slate-900"}`}
          data-testid={testId}
        >
          {formatMoney(cents)}
        </p>
      )}
      <p className="text-xs text-slate-500">{help}</p>
    </div>
  );
}

/** Pending, available and in-transit balances (and what is owed back, only when there is something). Live. */
export function BalanceCards({
  balances,
  holdText = "Held for 24 hours after each session",
}: {
  balances: Balances | undefined;
  holdText?: string;
}) {
  const owed = balances !== undefined && balances.receivableCents > 0;
  return (
    <section
      aria-label="Balances"
      className={`grid grid-cols-1 gap-3 sm:grid-cols-2 ${owed ? "lg:grid-cols-4" : "lg:grid-cols-3"}`}
    >
      <Stat label="Pending" help={holdText} icon={<Clock />} cents={balances?.pendingCents} testId="balance-pending" />
      <Stat
        label="Available"
        help="Ready to withdraw"
        icon={<Wallet />}
        cents={balances?.availableCents}
        testId="balance-available"
        tone="success"
      />
      <Stat
        label="In transit"
        help="Withdrawals on their way to your bank"
        icon={<ArrowRightLeft />}
        cents={balances?.inTransitCents}
        testId="balance-in-transit"
      />
      {owed ? (
        <Stat
          label="Owed"
          help="Refunded after it was paid out; taken from your next earnings"
          icon={<HandCoins />}
          cents={balances.receivableCents}
          testId="balance-owed"
          tone="danger"
        />
      ) : null}
    </section>
  );
}
