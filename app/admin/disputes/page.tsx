import type { Metadata } from "next";
import { AdminDisputes } from "@/components/admin/AdminDisputes";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Disputes" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Disputes"
        description="Clients dispute a session within 72 hours of its end. Read both sides and the session, then refund all, part or nothing."
      />
      <AdminDisputes />
    </>
  );
}
