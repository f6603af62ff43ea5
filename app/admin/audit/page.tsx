import type { Metadata } from "next";
import { AdminAudit } from "@/components/admin/AdminAudit";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Audit log" };

type Params = { actor?: string | string[]; action?: string | string[] };

export default async function Page({ searchParams }: { searchParams: Promise<Params> }) {
  const { actor, action } = await searchParams;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every admin action: who did what to whom, before and after, and when. Read-only."
      />
      <AdminAudit
        initial={{
          actor: typeof actor === "string" && /^[a-z0-9]+$/i.test(actor) ? actor : "",
          action: typeof action === "string" ? action.slice(0, 100) : "",
        }}
      />
    </>
  );
}
