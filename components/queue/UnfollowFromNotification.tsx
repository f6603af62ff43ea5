"use client";

import { useState } from "react";
import { useMutation } from "convex/react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { userMessage } from "@/lib/errors";

/** "Stop notifying" on an "advisor is online" notification: unfollows that advisor. */
export function UnfollowFromNotification({ notificationId }: { notificationId: Id<"notifications"> }) {
  const unfollow = useMutation(api.follows.unfollowFromNotification);
  const [done, setDone] = useState(false);
  if (done)
    return (
      <span className="shrink-0 px-2 py-1 text-xs text-slate-500" role="status">
        Unfollowed
      </span>
    );
  return (
    <button
      type="button"
      onClick={() =>
        void unfollow({ notificationId })
          .then(() => {
            setDone(true);
            toast.success("You will no longer be notified about this advisor.");
          })
          .catch((error: unknown) => toast.error(userMessage(error)))
      }
      className="shrink-0 rounded px-2 py-1 text-xs font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
      data-testid="notification-unfollow"
    >
      Stop notifying
    </button>
  );
}
