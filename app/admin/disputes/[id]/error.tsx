"use client";

import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";

/** Unknown or malformed dispute ids land here. */
export default function DisputeError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <EmptyState icon={<SearchX />} title="We could not open this dispute">
      <p data-testid="dispute-error">
        {/ArgumentValidationError|Validator/.test(error.message) ? "That dispute does not exist." : userMessage(error)}
      </p>
      <div className="mt-3 flex justify-center gap-2">
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
        <Button asChild variant="secondary">
          <Link href="/admin/disputes">All disputes</Link>
        </Button>
      </div>
    </EmptyState>
  );
}
