import { ShieldOff } from "lucide-react";
import { SignOutButton } from "@/components/layout/SignOutButton";

/**
 * Shown instead of every page to a suspended user: their account status is the one thing they may read
 * (Convex refuses their other reads and writes, and their sign-in is not renewed).
 */
export function SuspendedAccount({ name }: { name: string }) {
  return (
    <div
      className="mx-auto flex max-w-lg flex-col items-center gap-4 px-4 py-20 text-center"
      data-testid="account-suspended"
    >
      <ShieldOff className="size-12 text-red-500" aria-hidden="true" />
      <h1 className="text-2xl font-semibold">Your account is suspended</h1>
      <p className="text-slate-600">
        {name}, your account has been suspended, so you cannot use the marketplace for now. Money in your wallet or
        earnings is kept safe. Contact support if you think this is a mistake.
      </p>
      <SignOutButton className="inline-flex items-center gap-2 rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 [&_svg]:size-4" />
    </div>
  );
}
