import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { endSessionSchema } from "@/lib/schemas/sessions";

const NO_STORE = { "cache-control": "no-store" };

/**
 * Either side ends a started session: body { sessionId } → 200 { sessionId, billableSeconds, costCents }.
 * Settles once on the server clock; ending an ended session returns the same numbers (idempotent).
 * 404 for a session that is not the caller's, 409 for one still ringing (cancel or decline it instead).
 */
export const POST = withApiAuth("sessions:participate", async ({ request, token }) => {
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return jsonError("INVALID_ARGUMENT", "Send a JSON body.");
  const parsed = endSessionSchema.safeParse(body);
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const sessionId = parsed.data.sessionId as Id<"sessions">;
  const settled = await fetchMutation(api.sessions.end, { sessionId }, { token });
  return NextResponse.json(
    { sessionId, billableSeconds: settled.billableSeconds, costCents: settled.costCents },
    { headers: NO_STORE },
  );
});
