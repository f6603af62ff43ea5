import type { Metadata } from "next";
import Link from "next/link";
import { Clock } from "lucide-react";
import { EmptyState } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Start a session" };

/** Placeholder until live sessions open (a later issue); the advisor profile links here. */
export default async function NewSessionPage({ searchParams }: { searchParams: Promise<{ advisor?: string; kind?: string }> }) {
  const { advisor, kind } = await searchParams;
  return (
    <EmptyState icon={<Clock />} title="Sessions open soon">
      Live {kind === "video" ? "video" : "chat"} sessions are almost ready. Your wallet is not charged until a session starts.
      <div className="mt-3">
        <Button asChild variant="secondary">
          <Link href={advisor ? `/advisors/${encodeURIComponent(advisor)}` : "/advisors"}>Back to the advisor</Link>
        </Button>
      </div>
    </EmptyState>
  );
}
