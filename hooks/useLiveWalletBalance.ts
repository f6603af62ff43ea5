"use client";

import { useConvexAuth, useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";
import { useBillingSession } from "@/hooks/useBillingSession";

export type LiveWalletBalance = { cents: number; currency: string; inSession: boolean };

/**
 * The balance the header shows. Outside a session: the wallet's balance. During the client's live (active or
 * paused) session: the room's own live balance (available funds minus the cost so far, projected every second
 * from the same session document and the same billing engine), so the header and the room never disagree.
 */
export function useLiveWalletBalance(): LiveWalletBalance | undefined {
  const { isAuthenticated } = useConvexAuth();
  const wallet = useQuery(api.wallet.getMyWallet, isAuthenticated ? {} : "skip");
  const current = useQuery(api.sessions.current, isAuthenticated ? {} : "skip");
  const liveSessionId =
    current && current.role === "client" && (current.status === "active" || current.status === "paused")
      ? current._id
      : null;
  const room = useQuery(api.sessions.room, liveSessionId === null ? "skip" : { sessionId: liveSessionId });
  const billing = useBillingSession(room && room.role === "client" ? room : null, "client", 0);
  if (wallet === undefined) return undefined;
  if (billing !== null && billing.liveAvailableCents !== null) {
    return { cents: billing.liveAvailableCents, currency: wallet.currency, inSession: true };
  }
  return { cents: wallet.balanceCents, currency: wallet.currency, inSession: false };
}
