// Shared wording and badge tones for disputes, adjustments and receivables (client, advisor and admin screens).
import type { DisputeStatus } from "@/lib/disputes";

export const DISPUTE_STATUS_TONE: Record<DisputeStatus, "warning" | "success" | "brand" | "neutral"> = {
  open: "warning",
  refunded: "success",
  partially_refunded: "brand",
  rejected: "neutral",
};

export const ADJUSTMENT_DIRECTION_LABELS = {
  advisor_underpaid: "Advisor underpaid (pay them more)",
  advisor_overpaid: "Advisor overpaid (they owe it back)",
} as const;

export const ADJUSTMENT_STATUS_LABELS = {
  pending_approval: "Waiting for a second admin",
  posted: "Posted",
  rejected: "Rejected",
} as const;

export const SETTLEMENT_METHOD_LABELS = {
  offset: "Taken from later earnings",
  transfer_reversal: "Transfer reversed",
  manual: "Repaid",
  forgiven: "Forgiven",
} as const;

/** Date and time as the dispute screens show it. */
export const WHEN = "d MMM yyyy, HH:mm";
