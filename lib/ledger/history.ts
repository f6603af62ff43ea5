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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "2 Dec": the day of `at` on the viewer's clock (minutes east of UTC, as -getTimezoneOffset()). */
export function shortDay(at: number, tzOffsetMinutes = 0): string {
  const local = new Date(at + tzOffsetMinutes * 60_000);
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]}`;
}

export type HistoryContext = {
  /** The session a line is about: its channel, the other party's name, billed time and when it happened. */
  session?: { kind: "chat" | "video"; advisorName: string; billableSeconds: number | null; at: number } | null;
  /** The line comes from a dispute's decision (a refund). */
  disputed?: boolean;
  /** The viewer's time zone, minutes east of UTC, for the session's day. */
  tzOffsetMinutes?: number;
};

/**
 * "Top-up", "Chat with Maya R. — 12 min 30 s", "Refund — dispute on your chat with Luna O., 2 Dec", ... Built
 * from what people recognise (the other person, the channel, the day), never from ids.
 */
export function walletLineTitle(type: JournalType, context: HistoryContext = {}): string {
  const session = context.session ?? null;
  const channel = session ? (session.kind === "video" ? "video call" : "chat") : null;
  const withWhom = session ? `${channel} with ${shortName(session.advisorName)}` : null;
  const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  switch (type) {
    case "top_up":
      return "Top-up";
    case "session_settled":
      if (withWhom === null) return "Session";
      return session!.billableSeconds !== null
        ? `${capital(withWhom)} — ${formatDuration(session!.billableSeconds)}`
        : capital(withWhom);
    case "session_refunded": {
      const day = session ? `, ${shortDay(session.at, context.tzOffsetMinutes)}` : "";
      if (context.disputed) return withWhom ? `Refund — dispute on your ${withWhom}${day}` : "Refund — dispute";
      return withWhom ? `Refund — ${withWhom}${day}` : "Refund";
    }
    case "chargeback_opened":
      return "Card chargeback";
    case "chargeback_won":
      return "Chargeback reversed";
    case "reversal":
      return "Correction";
    case "offline_message_held":
      return "Offline message — held until the advisor replies";
    case "offline_message_expired":
      return "Offline message — refunded, no reply in 48 h";
    case "offline_message_refunded":
      return "Refund — dispute on an offline message";
    default:
      return "Adjustment";
  }
}
