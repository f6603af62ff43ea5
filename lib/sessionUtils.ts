// Session helpers shared by the server and the room: state rules, labels, clock formatting.
// The value lists below are the single source: convex/model/sessionSchema.ts builds its validators from them.
export const SESSION_STATUSES = ["requested", "active", "paused", "ended", "declined", "expired", "cancelled"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_KINDS = ["chat", "video"] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const PAUSE_REASONS = [
  "client_paused",
  "advisor_paused",
  "insufficient_funds",
  "client_away",
  "advisor_away",
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
export const END_REASONS = [
  "client_ended",
  "advisor_ended",
  "insufficient_funds",
  "client_away",
  "advisor_away",
  "paused_too_long",
  "admin_ended",
] as const;
export type EndReason = (typeof END_REASONS)[number];
export const PARTICIPANT_ROLES = ["client", "advisor"] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Live: the client and the advisor are engaged (one per client and per advisor at a time). */
export const OPEN_STATUSES: readonly SessionStatus[] = ["requested", "active", "paused"];
export const FINAL_STATUSES: readonly SessionStatus[] = ["ended", "declined", "expired", "cancelled"];

export function isOpen(status: SessionStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** The transitions the state machine allows; anything else is a CONFLICT. */
const TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  requested: ["active", "declined", "expired", "cancelled"],
  active: ["paused", "ended"],
  paused: ["active", "ended"],
  ended: [],
  declined: [],
  expired: [],
  cancelled: [],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const STATUS_LABELS: Record<SessionStatus, string> = {
  requested: "Ringing",
  active: "Live",
  paused: "Paused",
  ended: "Ended",
  declined: "Declined",
  expired: "Not answered",
  cancelled: "Cancelled",
};

export function pauseReasonText(reason: PauseReason, viewerRole: ParticipantRole): string {
  switch (reason) {
    case "client_paused":
      return viewerRole === "client" ? "You paused the session." : "The client paused the session.";
    case "advisor_paused":
      return viewerRole === "advisor" ? "You paused the session." : "The advisor paused the session.";
    case "insufficient_funds":
      return viewerRole === "client"
        ? "Your funds ran out. Top up to continue — the advisor waits for 2 minutes."
        : "The client's funds ran out. You are held for 2 minutes while they top up.";
    case "client_away":
      return viewerRole === "client"
        ? "We lost your connection; billing stopped."
        : "The client lost connection; billing stopped.";
    case "advisor_away":
      return viewerRole === "advisor"
        ? "We lost your connection; billing stopped."
        : "The advisor lost connection; billing stopped.";
  }
}

export const END_REASON_TEXT: Record<EndReason, string> = {
  client_ended: "The client ended the session.",
  advisor_ended: "The advisor ended the session.",
  insufficient_funds: "The session ended because the client's funds ran out.",
  client_away: "The session ended because the client was away for too long.",
  advisor_away: "The session ended because the advisor was away for too long.",
  paused_too_long: "The session ended after being paused for too long.",
  admin_ended: "An administrator ended the session.",
};

/** "4:05", "1:02:03" — a stopwatch from whole seconds. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
