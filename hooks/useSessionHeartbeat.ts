"use client";

import { useMutation } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { HEARTBEAT_INTERVAL_MS, betterSkewSample, estimateSkewMs } from "@/lib/billingService";

type Sample = { sentAt: number; receivedAt: number; serverNow: number };

/**
 * Tells the server this side is in the room every 30 s (liveness), and learns the server clock from the
 * replies. Returns the estimated skew (serverTime ≈ Date.now() + skewMs). Stops when `enabled` is false
 * (e.g. the user left the video call), which the server's liveness rules then notice.
 */
export function useSessionHeartbeat(sessionId: Id<"sessions">, enabled: boolean): number {
  const heartbeat = useMutation(api.sessions.heartbeat);
  const [skewMs, setSkewMs] = useState(0);
  const best = useRef<Sample | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const beat = async () => {
      const sentAt = Date.now();
      try {
        const { serverNow } = await heartbeat({ sessionId });
        if (cancelled) return;
        const sample = { sentAt, receivedAt: Date.now(), serverNow };
        best.current = betterSkewSample(best.current, sample);
        setSkewMs(estimateSkewMs(best.current));
      } catch {
        // Offline for a moment: the next beat retries; the server's grace period covers short gaps.
      }
    };
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_INTERVAL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [enabled, heartbeat, sessionId]);

  return skewMs;
}
