"use client";

import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";

/** Unknown ids, other people's sessions (NOT_FOUND) and malformed links land here. */
export default function SessionError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <EmptyState icon={<SearchX />} title="We could not open this session">
      <p data-testid="session-error">
        {/ArgumentValidationError|Validator/.test(error.message) ? "That session does not exist." : userMessage(error)}
      </p>
      <div className="mt-3 flex justify-center gap-2">
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
        <Button asChild variant="secondary">
          <Link href="/user-dashboard/sessions">Your sessions</Link>
        </Button>
      </div>
    </EmptyState>
  );
}
