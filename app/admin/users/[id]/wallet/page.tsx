import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { CreditLimitAdmin } from "@/components/wallet/CreditLimitAdmin";

export const metadata: Metadata = { title: "Client wallet" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader
        title="Client wallet"
        description="Balance, credit limit (audited) and chargeback freeze for one client."
      />
      <CreditLimitAdmin userId={id} />
    </>
  );
}
