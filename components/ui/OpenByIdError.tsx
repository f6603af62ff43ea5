"use client";

import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";

/**
 * The error boundary of a page that opens one thing by id (a session, a dispute): a malformed id fails argument
 * validation and reads as "does not exist"; anything else gets its plain message. Offers a retry and a way back.
 */
export function OpenByIdError({
  error,
  reset,
  thing,
  testId,
  back,
}: {
  error: Error;
  reset: () => void;
  thing: string;
  testId: string;
  back: { href: string; label: string };
}) {
  return (
    <EmptyState icon={<SearchX />} title={`We could not open this ${thing}`}>
      <p data-testid={testId}>
        {/ArgumentValidationError|Validator/.test(error.message) ? `That ${thing} does not exist.` : userMessage(error)}
      </p>
      <div className="mt-3 flex justify-center gap-2">
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
        <Button asChild variant="secondary">
          <Link href={back.href}>{back.label}</Link>
        </Button>
      </div>
    </EmptyState>
  );
}
