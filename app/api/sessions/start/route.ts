import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { startSessionSchema } from "@/lib/schemas/sessions";

const NO_STORE = { "cache-control": "no-store" };

/**
 * A client rings an online advisor: body { advisorProfileId, kind: "chat" | "video", rateCentsPerMinute }
 * → 201 { sessionId, status }. Same checks as the room's button (sessions:request): 402 without 3 minutes of
 * funds, 409 with a session already open or the advisor is offline or busy, 409 RATE_CHANGED when the rate the
 * client saw differs from the advisor's current rate (the message names the new rate; nothing is written).
 */
export const POST = withApiAuth("sessions:request", async ({ request, token }) => {
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return jsonError("INVALID_ARGUMENT", "Send a JSON body.");
  const parsed = startSessionSchema.safeParse(body);
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const { sessionId } = await fetchMutation(
    api.sessions.request,
    {
      advisorProfileId: parsed.data.advisorProfileId as Id<"advisorProfiles">,
      kind: parsed.data.kind,
      rateCentsPerMinute: parsed.data.rateCentsPerMinute,
    },
    { token },
  );
  return NextResponse.json({ sessionId, status: "requested" }, { status: 201, headers: NO_STORE });
});
