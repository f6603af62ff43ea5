"use client";

import { Button } from "@/components/ui/button";
import { userMessage } from "@/lib/errors";

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto flex max-w-lg flex-col items-center gap-4 py-20 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600">{userMessage(error)}</p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
