// Zod schemas for the session API routes (app/api/sessions/**). Convex validates the same arguments
// again (v.id, v.union); these give a plain 400 message before anything reaches the backend.
import { z } from "zod";

/** A Convex document id: letters, digits and underscores (the backend checks that it names the right table). */
export const convexIdSchema = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(64, `${label} is not a valid id.`)
    .regex(/^[A-Za-z0-9_]+$/, `${label} is not a valid id.`);

export const sessionKindSchema = z.enum(["chat", "video"], { error: 'kind must be "chat" or "video".' });

/** POST /api/sessions/start */
export const startSessionSchema = z.object(
  {
    advisorProfileId: convexIdSchema("advisorProfileId"),
    kind: sessionKindSchema,
    /** The rate the client saw; the server refuses with RATE_CHANGED (409) when the advisor's rate differs. */
    rateCentsPerMinute: z
      .number({ error: "rateCentsPerMinute is required: send the rate you agreed to, in cents per minute." })
      .int("rateCentsPerMinute must be whole cents.")
      .positive("rateCentsPerMinute must be positive."),
  },
  { error: "Send a JSON object." },
);

/** POST /api/sessions/end */
export const endSessionSchema = z.object({ sessionId: convexIdSchema("sessionId") }, { error: "Send a JSON object." });

/** POST /api/sessions/pause (action defaults to "pause") */
export const pauseSessionSchema = z.object(
  {
    sessionId: convexIdSchema("sessionId"),
    action: z.enum(["pause", "resume"], { error: 'action must be "pause" or "resume".' }).default("pause"),
  },
  { error: "Send a JSON object." },
);
