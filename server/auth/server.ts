import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { readConfig } from "@/lib/config";
import { AUTH_COOKIE } from "@/lib/localAuth";
import { verifyLocalToken } from "./localSession";

export type ServerViewer = NonNullable<Awaited<ReturnType<typeof fetchViewer>>>;

/** The Convex access token of the current request, in either auth mode; null when signed out. */
export async function getAuthToken(): Promise<string | null> {
  if (readConfig().auth.mode === "clerk") {
    const { auth } = await import("@clerk/nextjs/server");
    return (await (await auth()).getToken({ template: "convex" })) ?? null;
  }
  const token = (await cookies()).get(AUTH_COOKIE)?.value;
  return (await verifyLocalToken(token)) ? (token ?? null) : null;
}

async function fetchViewer(token: string) {
  const viewer = await fetchQuery(api.users.viewer, {}, { token });
  // First request after sign-in: create the user row (role client) from the verified identity.
  return viewer ?? (await fetchMutation(api.users.ensureViewer, {}, { token }));
}

/**
 * The signed-in user (from Convex, the source of roles), or null.
 * Cached per request: the root layout and an area's guard share one Convex round trip.
 */
export const getViewer = cache(async function getViewer(): Promise<{ viewer: ServerViewer; token: string } | null> {
  const token = await getAuthToken();
  if (token === null) return null;
  try {
    return { viewer: await fetchViewer(token), token };
  } catch {
    return null;
  }
});
