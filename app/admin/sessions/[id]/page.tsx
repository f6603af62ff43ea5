import type { Metadata } from "next";
import type { Id } from "@/convex/_generated/dataModel";
import { AdminSessionsDetail } from "@/components/admin/AdminSessionsDetail";

export const metadata: Metadata = { title: "Session" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AdminSessionsDetail sessionId={id as Id<"sessions">} />;
}
