// Session chat rules shared by the Convex functions (convex/chat.ts) and the chat UI.

/** A message body, after trimming, is 1..MAX_MESSAGE_LENGTH characters (UTF-16 code units). */
export const MAX_MESSAGE_LENGTH = 2000;
/** The composer shows a character count from here on. */
export const MESSAGE_COUNTER_FROM = 1800;

/** At most RATE_LIMIT_MESSAGES per RATE_LIMIT_WINDOW_MS per sender. */
export const RATE_LIMIT_MESSAGES = 5;
export const RATE_LIMIT_WINDOW_MS = 2000;

/** The transcript shown in the room (and returned by chat.list): the newest this many, oldest first. */
export const TRANSCRIPT_LIMIT = 500;

/** A typing signal lasts this long unless renewed. */
export const TYPING_TTL_MS = 5000;
/** A renewed typing signal is not written again within this interval (limits writes). */
export const TYPING_REFRESH_MS = 2000;

/** Session statuses in which participants may send messages: only while the meter runs. */
export const CHAT_LIVE_STATUSES = ["active"] as const;

export function isChatLive(status: string): boolean {
  return (CHAT_LIVE_STATUSES as readonly string[]).includes(status);
}

export type MessageBodyCheck = { ok: true; body: string } | { ok: false; message: string };

/** Trims and checks a message body; the message is shown to people as is. */
export function checkMessageBody(raw: string): MessageBodyCheck {
  const body = raw.trim();
  if (body.length === 0) return { ok: false, message: "Type a message before sending." };
  if (body.length > MAX_MESSAGE_LENGTH) {
    return {
      ok: false,
      message: `Messages can be at most ${MAX_MESSAGE_LENGTH} characters (this one has ${body.length}).`,
    };
  }
  return { ok: true, body };
}
