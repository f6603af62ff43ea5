import type { Metadata } from "next";
import Link from "next/link";
import { AdminUsers } from "@/components/admin/AdminUsers";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/misc";
import { ROLES, USER_STATUSES, type Role, type UserStatus } from "@/lib/rolePermissions";

export const metadata: Metadata = { title: "Users" };

type Params = { q?: string | string[]; role?: string | string[]; status?: string | string[] };

// Plain helpers here: functions exported from a "use client" module cannot be called on the server.
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
const isUserStatus = (value: string): value is UserStatus => (USER_STATUSES as readonly string[]).includes(value);

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
      <AdminUsers initial={{ q: one(params.q).slice(0, 100), role: isRole(role) ? role : "", status: isUserStatus(status) ? status : "" }} />
    </>
  );
}
