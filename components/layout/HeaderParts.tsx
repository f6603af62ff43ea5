import Link from "next/link";
import type { ReactNode } from "react";
import { Sparkles } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The header's frame and logo; no hooks, so the signed-out header renders on the server only. */
export function HeaderFrame({ children, after }: { children: ReactNode; after?: ReactNode }) {
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-2 px-4 sm:gap-4">
        <Link href="/" prefetch={false} className="flex items-center gap-2 font-semibold text-slate-900">
          <Sparkles className="size-5 text-brand-600" aria-hidden="true" />
          <span>Advisory</span>
        </Link>
        {children}
      </div>
      {after}
    </header>
  );
}

export function SignedOutActions() {
  return (
    <>
      <Button variant="ghost" asChild className="hidden sm:inline-flex">
        <Link href="/advisors" prefetch={false}>
          Browse advisors
        </Link>
      </Button>
      <Button asChild>
        <Link href="/sign-in" prefetch={false}>
          Sign in
        </Link>
      </Button>
    </>
  );
}

/** Signed-out visitors in local mode: a server-rendered header with no client JavaScript. */
export function PublicHeader() {
  return (
    <HeaderFrame>
      <div className="ml-auto flex items-center gap-2">
        <SignedOutActions />
      </div>
    </HeaderFrame>
  );
}
