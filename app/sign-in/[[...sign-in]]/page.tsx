import type { Metadata } from "next";
import { ClerkSignIn } from "@/components/auth/ClerkForms";
import { LocalSignIn } from "@/components/auth/LocalSignIn";
import { PageHeader } from "@/components/ui/misc";
import { DEMO_ACCOUNTS } from "@/lib/demoAccounts";
import { safeRedirect, safeRedirectPath } from "@/lib/safeRedirect";
import { assertLocalAllowed, LocalServiceInProductionError, readConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { next, reason } = await searchParams;
  const config = readConfig();
  if (config.auth.mode === "clerk") {
    return (
      <div className="flex justify-center py-8">
        {/* Catch-all route + path routing: Clerk's multi-step and SSO steps live under /sign-in/… */}
        <ClerkSignIn routing="path" path="/sign-in" signUpUrl="/sign-up" forceRedirectUrl={safeRedirect(next)} />
      </div>
    );
  }
  try {
    assertLocalAllowed(config, "Authentication (Clerk)");
  } catch (error) {
    if (!(error instanceof LocalServiceInProductionError)) throw error;
    return (
      <div role="alert" className="mx-auto max-w-xl rounded-xl border border-red-200 bg-red-50 p-6 text-red-900">
        <h1 className="mb-2 text-lg font-semibold">Sign-in is not configured</h1>
        <p>{error.message}</p>
      </div>
    );
  }
  return (
    <>
      <PageHeader
        title="Sign in"
        description="Local sign-in for development: no password, no network. Production uses Clerk."
      />
      {reason === "expired" ? (
        <p role="status" className="mb-4 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          Your session ended. Please sign in again.
        </p>
      ) : null}
      <LocalSignIn accounts={DEMO_ACCOUNTS} next={safeRedirectPath(next)} />
    </>
  );
}
