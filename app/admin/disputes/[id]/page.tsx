import type { Metadata } from "next";
import type { Id } from "@/convex/_generated/dataModel";
import { AdminDisputesDetail } from "@/components/admin/AdminDisputesDetail";

export const metadata: Metadata = { title: "Dispute" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AdminDisputesDetail disputeId={id as Id<"sessionDisputes">} />;
}
