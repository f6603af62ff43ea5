import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { pauseSessionSchema } from "@/lib/schemas/sessions";

const NO_STORE = { "cache-control": "no-store" };

/**
 * Either side pauses (billing stops at once) or resumes a running session:
 * body { sessionId, action?: "pause" | "resume" } → 200 { sessionId, status }.
 * 409 when the session is not in a state that allows it (ringing, already paused, ended, the other side away);
 * 402 when resuming needs a top-up.
 */
export const POST = withApiAuth("sessions:participate", async ({ request, token }) => {
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return jsonError("INVALID_ARGUMENT", "Send a JSON body.");
  const parsed = pauseSessionSchema.safeParse(body);
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const sessionId = parsed.data.sessionId as Id<"sessions">;
  if (parsed.data.action === "resume") {
    await fetchMutation(api.sessions.resume, { sessionId }, { token });
  } else {
    await fetchMutation(api.sessions.pause, { sessionId }, { token });
  }
  // The mutation either committed this transition or threw, so the status is known without another read.
  return NextResponse.json(
    { sessionId, status: parsed.data.action === "resume" ? "active" : "paused" },
    { headers: NO_STORE },
  );
});
