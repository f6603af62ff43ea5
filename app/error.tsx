"use client";

import { userMessage } from "@/lib/errors";

// The root error boundary's JavaScript ships with every page, so it uses a plain button with the primary Button's
// classes (components/ui/button.tsx) instead of importing Button (cva and tailwind-merge) into every page.
const PRIMARY_BUTTON =
  "inline-flex h-10 items-center justify-center gap-2 whitespace-nowrap rounded-lg bg-brand-600 px-4 text-sm font-medium text-white shadow-sm transition-colors hover:bg-brand-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2";

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto flex max-w-lg flex-col items-center gap-4 py-20 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600">{userMessage(error)}</p>
      <button type="button" className={PRIMARY_BUTTON} onClick={reset}>
        Try again
      </button>
    </div>
  );
}
