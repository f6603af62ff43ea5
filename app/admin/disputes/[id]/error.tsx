"use client";

import { OpenByIdError } from "@/components/ui/OpenByIdError";

/** Unknown or malformed dispute ids land here. */
export default function DisputeError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <OpenByIdError
      error={error}
      reset={reset}
      thing="dispute"
      testId="dispute-error"
      back={{ href: "/admin/disputes", label: "All disputes" }}
    />
  );
}
