import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminSessions } from "@/components/admin/AdminSessions";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Sessions" };

export default async function Page({ searchParams }: { searchParams: Promise<{ session?: string | string[] }> }) {
  // The ledger explorer links a journal's session as /admin/sessions?session=<id>.
  const { session } = await searchParams;
  if (typeof session === "string" && /^[a-z0-9]+$/i.test(session)) redirect(`/admin/sessions/${session}`);
  return (
    <>
      <PageHeader
        title="Sessions"
        description="Live sessions across the marketplace as they happen, and every past session with its timeline and money."
      />
      <AdminSessions />
    </>
  );
}
