"use client";

import { useMutation } from "convex/react";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { toastErrorLazily } from "@/components/ui/lazyToast";
import { appErrorData, userMessage } from "@/lib/errors";
import { formatRate } from "@/lib/format";

/**
 * Rings the advisor and opens the room. The request carries the rate the client saw when the page opened: if the
 * advisor changed it since, the server refuses with RATE_CHANGED (the message shows the new rate) and the next
 * click agrees to the rate now on screen. The server checks funds, availability and one-session rules.
 */
export function RequestSessionButton({
  profileId,
  kind,
  label,
  icon,
  rateCentsPerMinute,
}: {
  profileId: Id<"advisorProfiles">;
  kind: "chat" | "video";
  label: string;
  icon: ReactNode;
  rateCentsPerMinute: number;
}) {
  const request = useMutation(api.sessions.request);
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [seenRate, setSeenRate] = useState(rateCentsPerMinute);
  const onClick = async () => {
    setBusy(true);
    try {
      const { sessionId } = await request({ advisorProfileId: profileId, kind, rateCentsPerMinute: seenRate });
      router.push(`/session/${sessionId}`);
    } catch (error) {
      toastErrorLazily(userMessage(error));
      if (appErrorData(error)?.code === "RATE_CHANGED") setSeenRate(rateCentsPerMinute);
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-1">
      <Button className="w-full" onClick={() => void onClick()} disabled={busy} data-testid={`start-${kind}`}>
        {icon} {busy ? "Calling…" : label}
      </Button>
      {seenRate !== rateCentsPerMinute ? (
        <p className="text-xs text-amber-800" role="status" data-testid={`start-${kind}-rate-changed`}>
          The rate changed from {formatRate(seenRate)} to {formatRate(rateCentsPerMinute)}.
        </p>
      ) : null}
    </div>
  );
}
