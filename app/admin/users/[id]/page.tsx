import type { Metadata } from "next";
import Link from "next/link";
import { AdminUserDetail } from "@/components/admin/AdminUserDetail";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "User" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <Link href="/admin/users" className="mb-2 inline-block text-sm text-brand-700 underline-offset-4 hover:underline">
        ← Users
      </Link>
      <PageHeader
        title="User"
        description="Profile, wallet, sessions, disputes and every admin action on the account."
      />
      <AdminUserDetail userId={id} />
    </>
  );
}
