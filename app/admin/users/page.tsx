import type { Metadata } from "next";
import Link from "next/link";
import { AdminUsers } from "@/components/admin/AdminUsers";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/misc";
import { isRole, isUserStatus } from "@/lib/rolePermissions";

export const metadata: Metadata = { title: "Users" };

type Params = { q?: string | string[]; role?: string | string[]; status?: string | string[] };

function one(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

export default async function Page({ searchParams }: { searchParams: Promise<Params> }) {
  // Filters come from the URL (?role=advisor&status=suspended&q=...) so dashboard links land on the right view.
  const params = await searchParams;
  const role = one(params.role);
  const status = one(params.status);
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone on the platform: search, change roles, suspend and reinstate."
        actions={
          <>
            <Button asChild variant="secondary">
              <Link href="/admin/audit">Audit log</Link>
            </Button>
            <Button asChild variant="secondary">
              <Link href="/admin/billing/credit-limits">Credit limits</Link>
            </Button>
          </>
        }
      />
      <AdminUsers
        initial={{
          q: one(params.q).slice(0, 100),
          role: isRole(role) ? role : "",
          status: isUserStatus(status) ? status : "",
        }}
      />
    </>
  );
}
