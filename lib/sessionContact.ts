// Contact rules of a live session, pure (no Convex): who may reach whom, and which seconds are billed.
// Contract (BILLING_SYSTEM_DOCS.md "Live sessions"): contact exists only while the session is active; any room
// activity earns presence; a side whose presence lapsed receives nothing newer than lastSeen + presentWindowMs;
// billing stops at the earlier side's last presence, and the contact after it is unbilled only while the
// session's budget (SESSION_RULES.unbilledContactBudgetMs, one grace window) lasts.
import { SESSION_RULES, type Segment } from "./billingEngine";
import type { PauseReason } from "./sessionUtils";

export type ContactSide = "client" | "advisor";

/** The only status in which messages, typing, signals and media are allowed. */
export function isContactOpen(status: string): boolean {
  return status === "active";
}

/** Why contact is closed in this status, in plain words, with what to do next. */
export function contactClosedMessage(status: string, pauseReason?: PauseReason | null, viewer?: ContactSide): string {
  switch (status) {
    case "requested":
      return "The session has not started yet. Messages open once the advisor accepts.";
    case "paused": {
      if (pauseReason === "insufficient_funds") {
        return viewer === "client"
          ? "The session is paused because your funds ran out. Top up to resume; messages are off until then."
          : "The session is paused while the client tops up. Messages are off until they resume.";
      }
      const pauser = pauseReason ? resumerFor(pauseReason) : null;
      if (pauser !== null && viewer !== undefined) {
        return pauser === viewer
          ? "The session is paused and billing is stopped. Resume it to send messages."
          : `The session is paused and billing is stopped. Messages are off until the ${pauser} resumes.`;
      }
      return "The session is paused and billing is stopped, so messages are off until it resumes.";
    }
    case "ended":
      return "This session has ended, so new messages can't be sent. The transcript stays readable.";
    default:
      return "This session did not start, so messages can't be sent.";
  }
}

/** The only side that may resume a pause with this reason: the side that paused, or the client after a funds pause. */
export function resumerFor(reason: PauseReason): ContactSide {
  switch (reason) {
    case "client_paused":
    case "client_away":
    case "insufficient_funds":
      return "client";
    case "advisor_paused":
    case "advisor_away":
      return "advisor";
  }
}

/** The newest instant a side may receive contact, from its last presence (the open segment only). */
export function receiveCutoff(lastSeenAt: number): number {
  return lastSeenAt + SESSION_RULES.presentWindowMs;
}

export type SegmentClose = {
  /** End of billed time. */
  endedAt: number;
  /** Set when a side had lapsed: nothing after it was delivered to the other side. */
  contactEndedAt?: number;
  /** Contact in this segment that was not billed (counts against the session's budget). */
  unbilledMs: number;
};

/**
 * Closes the open segment at server time `at`. `lastSeen` holds each side's last presence. A side silent for
 * more than presentWindowMs has lapsed: contact ended at its lastSeen + presentWindowMs, and billing stops at
 * its lastSeen while `budgetLeftMs` covers the gap, later otherwise (every second of contact beyond the
 * budget is billed). `capAt` (funds exhausted) caps billing whatever the presence.
 */
export function closeSegment(input: {
  startedAt: number;
  at: number;
  lastSeen: readonly number[];
  budgetLeftMs: number;
  capAt?: number;
}): SegmentClose {
  const { startedAt, at } = input;
  const lapsed = input.lastSeen.filter((seen) => at - seen > SESSION_RULES.presentWindowMs);
  let endedAt = at;
  let contactEndedAt: number | undefined;
  if (lapsed.length > 0) {
    const earliest = Math.max(startedAt, Math.min(...lapsed));
    contactEndedAt = Math.max(startedAt, Math.min(at, Math.min(...lapsed) + SESSION_RULES.presentWindowMs));
    const unbilled = Math.min(contactEndedAt - earliest, Math.max(0, input.budgetLeftMs));
    endedAt = contactEndedAt - unbilled;
  }
  if (input.capAt !== undefined) endedAt = Math.max(startedAt, Math.min(endedAt, input.capAt));
  const contactEnd = contactEndedAt ?? at;
  return {
    endedAt,
    ...(contactEndedAt === undefined ? {} : { contactEndedAt }),
    unbilledMs: Math.max(0, contactEnd - endedAt),
  };
}

/**
 * Whether a message (or signal) sent at `createdAt` by the other side may be shown to a viewer. In a closed
 * segment: up to its contactEndedAt. In the open segment: up to the viewer's receive cutoff (null: not live).
 */
export function deliverableAt(createdAt: number, segments: readonly Segment[], openCutoff: number | null): boolean {
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (segment.startedAt > createdAt) continue;
    if (segment.endedAt === undefined) return openCutoff !== null && createdAt <= openCutoff;
    return segment.contactEndedAt === undefined || createdAt <= segment.contactEndedAt;
  }
  return false;
}
