import type { Metadata } from "next";
import Link from "next/link";
import { Banknote, BookOpen, HeartPulse, Scale, Tags } from "lucide-react";
import { PageHeader } from "@/components/ui/misc";
import { NewClientOfferToggle } from "@/components/admin/NewClientOfferToggle";

export const metadata: Metadata = { title: "Billing" };

const SECTIONS = [
  { href: "/admin/billing/ledger", title: "Ledger explorer", text: "Accounts, balances and every journal with its entries.", icon: BookOpen },
  { href: "/admin/billing/advisor-rates", title: "Advisor rates and fees", text: "Every rate change and per-advisor fee change: old, new, who and when.", icon: Tags },
  { href: "/admin/payouts", title: "Payouts", text: "Advisor withdrawals: approve or reject large ones, retry or cancel stuck transfers.", icon: Banknote },
  { href: "/admin/billing/adjustments", title: "Adjustments and clawbacks", text: "Correct an advisor's pay for a session (second-admin approval above $100) and settle what advisors owe.", icon: Scale },
  { href: "/admin/billing/ledger-health", title: "Ledger health", text: "The invariant checker: balanced journals, balances equal entries, floors respected.", icon: HeartPulse },
];

export default function BillingPage() {
  return (
    <>
      <PageHeader title="Billing" description="Where the money is, and proof that it adds up." />
      <div className="grid gap-4 sm:grid-cols-2">
        {SECTIONS.map(({ href, title, text, icon: Icon }) => (
          <Link key={href} href={href} className="flex gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-200">
            <Icon className="size-6 shrink-0 text-brand-600" aria-hidden="true" />
            <div>
              <p className="font-semibold">{title}</p>
              <p className="text-sm text-slate-600">{text}</p>
            </div>
          </Link>
        ))}
      </div>
      <h2 className="mb-3 mt-8 text-lg font-semibold">Promotions</h2>
      <NewClientOfferToggle />
    </>
  );
}
