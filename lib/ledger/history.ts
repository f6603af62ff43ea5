// Client-facing wording for wallet history lines. Pure, so the wallet query and tests share it.
import type { JournalType } from "./legs";

/** "12 min 30 s", "45 s", "1 h 5 min". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.trunc(totalSeconds));
  const hours = Math.trunc(s / 3600);
  const minutes = Math.trunc((s % 3600) / 60);
  const seconds = s % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** "Maya Rodriguez" -> "Maya R."; single names stay as they are. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "an advisor";
  if (parts.length === 1) return parts[0]!;
  return `${parts[0]} ${parts[parts.length - 1]![0]!.toUpperCase()}.`;
}

export type HistoryContext = {
  session?: { kind: "chat" | "video"; advisorName: string; billableSeconds: number | null } | null;
  disputeId?: string | null;
};

/** "Top-up", "Chat with Maya R. — 12 min 30 s", "Refund — dispute #a1b2c3", ... */
export function walletLineTitle(type: JournalType, context: HistoryContext = {}): string {
  const session = context.session ?? null;
  const withWhom = session ? `${session.kind === "video" ? "Video call" : "Chat"} with ${shortName(session.advisorName)}` : null;
  switch (type) {
    case "top_up":
      return "Top-up";
    case "session_settled":
      if (withWhom === null) return "Session";
      return session!.billableSeconds !== null ? `${withWhom} — ${formatDuration(session!.billableSeconds)}` : withWhom;
    case "session_refunded":
      if (context.disputeId) return `Refund — dispute #${context.disputeId.slice(-6)}`;
      return withWhom ? `Refund — ${withWhom.charAt(0).toLowerCase()}${withWhom.slice(1)}` : "Refund";
    case "chargeback_opened":
      return "Card chargeback";
    case "chargeback_won":
      return "Chargeback reversed";
    case "reversal":
      return "Correction";
    default:
      return "Adjustment";
  }
}
