import { NextResponse } from "next/server";
import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { advisorProfilePatchSchema, firstIssue } from "@/lib/schemas/advisorProfile";

const NO_STORE = { "cache-control": "no-store" };

/** The signed-in user's advisor profile (null before applying). 401 signed out. */
export const GET = withApiAuth("advisor_application:manage_own", async ({ token }) => {
  const profile = await fetchQuery(api.advisorApplications.myProfile, {}, { token });
  return NextResponse.json({ profile }, { headers: NO_STORE });
});

/**
 * Updates the signed-in user's own profile: any subset of displayName, headline, bio, categories,
 * tags, languages, yearsExperience, chatRateCentsPerMinute, videoRateCentsPerMinute (integer cents,
 * null = video off). Validated here with zod and again in Convex; a refused body writes nothing.
 */
export const PUT = withApiAuth("advisor_application:manage_own", async ({ request, token }) => {
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return jsonError("INVALID_ARGUMENT", "Send a JSON body.");
  const parsed = advisorProfilePatchSchema.safeParse(body);
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  if (Object.keys(parsed.data).length === 0) return jsonError("INVALID_ARGUMENT", "Send at least one field to change.");
  await fetchMutation(api.advisorApplications.updateProfile, parsed.data, { token });
  const profile = await fetchQuery(api.advisorApplications.myProfile, {}, { token });
  return NextResponse.json({ profile }, { headers: NO_STORE });
});
