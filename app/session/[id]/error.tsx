"use client";

import { OpenByIdError } from "@/components/ui/OpenByIdError";

/** Unknown ids, other people's sessions (NOT_FOUND) and malformed links land here. */
export default function SessionError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <OpenByIdError
      error={error}
      reset={reset}
      thing="session"
      testId="session-error"
      back={{ href: "/user-dashboard/sessions", label: "Your sessions" }}
    />
  );
}
