"use client";

import { useEffect, useState } from "react";
import type { Segment } from "@/lib/billingEngine";
import { projectBilling, type RoomBilling } from "@/lib/billingService";

export type BillingRoomData = {
  status: string;
  segments: readonly Segment[];
  rateCentsPerMinute: number;
  feeBps: number | null;
  freeSeconds: number;
  limitSeconds: number | null;
  availableCents: number | null;
  startedAt: number | null;
  endedAt: number | null;
};

/** Re-renders every second while live, with the server clock (Date.now() + skew). */
export function useServerNow(skewMs: number, live: boolean): number {
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now() + skewMs), 1000);
    return () => clearInterval(timer);
  }, [skewMs, live]);
  return now;
}

/**
 * The room's live numbers — elapsed time, seconds left, cost so far, live balance, warnings — projected
 * every second in the browser from the server's session document. Display only: no call here moves money.
 */
export function useBillingSession(
  room: BillingRoomData | null | undefined,
  role: "client" | "advisor",
  skewMs: number,
): RoomBilling | null {
  const live = room?.status === "active";
  const serverNow = useServerNow(skewMs, live);
  if (!room || room.limitSeconds === null) return null;
  // After the end the clock stops at the end.
  const at = room.endedAt ?? serverNow;
  return projectBilling({
    segments: room.segments,
    rateCentsPerMinute: room.rateCentsPerMinute,
    feeBps: room.feeBps ?? 0,
    freeSeconds: room.freeSeconds,
    limitSeconds: room.limitSeconds,
    availableCents: room.availableCents,
    startedAt: room.startedAt,
    serverNow: at,
    role,
  });
}
