"use client";

import { useMutation } from "convex/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { userMessage } from "@/lib/errors";

/** Accept (the normal request flow, then the room) or pass the turn on offer; leave the queue. */
export function useQueueActions() {
  const accept = useMutation(api.queue.acceptOffer);
  const leave = useMutation(api.queue.leave);
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (error) {
      toast.error(userMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    accept: (rateCentsPerMinute: number) =>
      run(async () => {
        const { sessionId } = await accept({ rateCentsPerMinute });
        router.push(`/session/${sessionId}`);
      }),
    leave: (message: string) =>
      run(async () => {
        await leave({});
        toast(message);
      }),
  };
}
