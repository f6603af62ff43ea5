import type { Metadata } from "next";
import type { Id } from "@/convex/_generated/dataModel";
import { SessionRoom } from "@/components/session/SessionRoom";

export const metadata: Metadata = { title: "Session" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SessionRoom sessionId={id as Id<"sessions">} />;
}
