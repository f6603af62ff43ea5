import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Payouts" };

export default function Page() {
  return (
    <Planned title="Payouts" description="Withdraw your available earnings.">
      Connect a payout account and withdraw once you have at least $25.00 available.
    </Planned>
  );
}
