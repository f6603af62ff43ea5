import type { Metadata } from "next";
import type { Id } from "@/convex/_generated/dataModel";
import { SessionReceipt } from "@/components/session/SessionReceipt";

export const metadata: Metadata = { title: "Receipt" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SessionReceipt sessionId={id as Id<"sessions">} />;
}
