"use client";

import { useMutation } from "convex/react";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { userMessage } from "@/lib/errors";

/** Rings the advisor and opens the room. The server checks funds, availability and one-session rules. */
export function RequestSessionButton({ profileId, kind, label, icon }: { profileId: Id<"advisorProfiles">; kind: "chat" | "video"; label: string; icon: ReactNode }) {
  const request = useMutation(api.sessions.request);
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      const { sessionId } = await request({ advisorProfileId: profileId, kind });
      router.push(`/session/${sessionId}`);
    } catch (error) {
      toast.error(userMessage(error));
      setBusy(false);
    }
  };
  return (
    <Button className="w-full" onClick={() => void onClick()} disabled={busy} data-testid={`start-${kind}`}>
      {icon} {busy ? "Calling…" : label}
    </Button>
  );
}
