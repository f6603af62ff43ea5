"use client";

import { useState } from "react";
import { useMutation } from "convex/react";
import { Bell, BellOff } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { userMessage } from "@/lib/errors";

/** "Notify me when online" toggle (in-app + email, at most once every 6 hours per advisor). */
export function FollowButton({
  profileId,
  name,
  following,
  compact = false,
}: {
  profileId: Id<"advisorProfiles">;
  name: string;
  following: boolean;
  compact?: boolean;
}) {
  const follow = useMutation(api.follows.follow);
  const unfollow = useMutation(api.follows.unfollow);
  const [pending, setPending] = useState(false);
  const onClick = () => {
    setPending(true);
    (following ? unfollow({ profileId }) : follow({ profileId }))
      .then(() =>
        toast.success(
          following ? `You will no longer be notified about ${name}.` : `We will notify you when ${name} comes online.`,
        ),
      )
      .catch((e: unknown) => toast.error(userMessage(e)))
      .finally(() => setPending(false));
  };
  const Icon = following ? BellOff : Bell;
  return (
    <Button
      variant="secondary"
      size={compact ? "sm" : undefined}
      className={compact ? undefined : "w-full"}
      aria-pressed={following}
      aria-label={
        compact ? (following ? `Stop notifying me about ${name}` : `Notify me when ${name} is online`) : undefined
      }
      disabled={pending}
      onClick={onClick}
      data-testid="follow-button"
    >
      <Icon aria-hidden="true" />{" "}
      {compact ? (following ? "Following" : "Notify me") : following ? "Stop notifying me" : "Notify me when online"}
    </Button>
  );
}
