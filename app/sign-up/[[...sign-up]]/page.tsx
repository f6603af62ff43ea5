import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ClerkSignUp } from "@/components/auth/ClerkForms";
import { readConfig } from "@/lib/config";
import { safeRedirect } from "@/lib/safeRedirect";

export const metadata: Metadata = { title: "Sign up" };

/**
 * Clerk's sign-up (catch-all, as in Clerk's Next.js quickstart: verification and SSO steps live under
 * /sign-up/…). Local sign-in creates accounts on its own page, so without Clerk this goes there.
 */
export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { next } = await searchParams;
  if (readConfig().auth.mode !== "clerk") {
    redirect(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  }
  return (
    <div className="flex justify-center py-8">
      <ClerkSignUp routing="path" path="/sign-up" signInUrl="/sign-in" forceRedirectUrl={safeRedirect(next)} />
    </div>
  );
}
