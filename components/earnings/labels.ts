// Status badges for earnings and payouts, shared by the advisor and admin screens.
import type { PayoutStatus } from "@/lib/payouts";

type Tone = "neutral" | "brand" | "success" | "warning" | "danger";

export const EARNING_STATUS: Record<
  "pending" | "available" | "refunded" | "partially_refunded" | "clawed_back" | "offset",
  { label: string; tone: Tone; help: string }
> = {
  pending: { label: "Pending", tone: "warning", help: "On hold; becomes available to withdraw after the hold period." },
  available: { label: "Available", tone: "success", help: "Released to your available balance." },
  refunded: {
    label: "Refunded",
    tone: "neutral",
    help: "The client was refunded in full, so this is not paid to you.",
  },
  partially_refunded: {
    label: "Partly refunded",
    tone: "neutral",
    help: "The client got part of the session back; you keep the rest.",
  },
  clawed_back: {
    label: "Clawed back",
    tone: "danger",
    help: "The client was refunded after release; the amount was taken back from your balance.",
  },
  offset: { label: "Offset", tone: "neutral", help: "Released, and used to pay what you owed from an earlier refund." },
};

export const PAYOUT_TONE: Record<PayoutStatus, Tone> = {
  awaiting_approval: "warning",
  held: "warning",
  queued: "brand",
  processing: "brand",
  in_transit: "brand",
  paid: "success",
  failed: "danger",
  rejected: "danger",
  dead_lettered: "warning",
  cancelled: "neutral",
};

/** What a payout's status means for the advisor, in plain words. */
export function payoutExplanation(p: {
  status: PayoutStatus;
  failureReason: string | null;
  rejectedReason: string | null;
  heldReason?: string | null;
}): string | null {
  switch (p.status) {
    case "awaiting_approval":
      return "Large withdrawals are checked by our team first. You will see it move on here.";
    case "held":
      return `Held, not failed${p.heldReason ? `: ${p.heldReason}` : ""} It is sent automatically once our payment reserve is back to normal.`;
    case "queued":
    case "processing":
      return "Being sent to your payout account.";
    case "in_transit":
      return "Sent. Banks usually take 1–2 business days.";
    case "failed":
      return `The bank did not accept it${p.failureReason ? `: ${p.failureReason}` : ""}. The money is back in your available balance.`;
    case "rejected":
      return `Not approved${p.rejectedReason ? `: ${p.rejectedReason}` : ""}. The money is back in your available balance.`;
    case "dead_lettered":
      return "We could not send it after several tries. Support has been told and will retry or return the money to you.";
    case "cancelled":
      return `Cancelled${p.failureReason ? `: ${p.failureReason}` : ""}. The money is back in your available balance.`;
    default:
      return null;
  }
}
