import type { Metadata } from "next";
import { TopUpComplete } from "@/components/session/RoomTopUp";

export const metadata: Metadata = { title: "Top-up" };

/** Where a top-up opened from a live session returns (in its popup window). */
export default async function Page({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const { checkout } = await searchParams;
  return <TopUpComplete ok={checkout === "success"} />;
}
