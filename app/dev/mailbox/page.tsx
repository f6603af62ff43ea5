import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/misc";
import { DevMailbox } from "@/components/notifications/DevMailbox";
import { VisitorConvexProvider } from "@/components/providers/VisitorConvexProvider";
import { assertLocalAllowed, LocalServiceInProductionError, readConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Dev mailbox" };
export const dynamic = "force-dynamic";

/** Only with the local email stand-in (EMAIL_DEV_MAILBOX=1, no RESEND_API_KEY), readable by admins: 404 otherwise. */
export default function DevMailboxPage() {
  const config = readConfig();
  // Only when the local email channel is explicitly configured (never inferred from NODE_ENV).
  if (config.email.mode !== "local" || process.env.EMAIL_DEV_MAILBOX !== "1") notFound();
  try {
    assertLocalAllowed(config, "Email (Resend)");
  } catch (error) {
    if (!(error instanceof LocalServiceInProductionError)) throw error;
    return (
      <div role="alert" className="mx-auto max-w-xl rounded-xl border border-red-200 bg-red-50 p-6 text-red-900">
        <h1 className="mb-2 text-lg font-semibold">Email is not configured</h1>
        <p>{error.message}</p>
      </div>
    );
  }
  return (
    <>
      <PageHeader
        title="Dev mailbox"
        description="Local email stand-in: what the app would have sent. Set RESEND_API_KEY to send real email."
      />
      <VisitorConvexProvider>
        <DevMailbox />
      </VisitorConvexProvider>
    </>
  );
}
