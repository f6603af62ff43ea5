import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

/**
 * Whether a local sign-in token may be renewed: not for a suspended user, so their session ends within one
 * token lifetime (TOKEN_TTL_SECONDS) even if they keep the tab open. Convex is the source of the status;
 * when it cannot be reached the token is not renewed this time (the next request tries again).
 */
export async function mayRenewToken(token: string): Promise<boolean> {
  try {
    const viewer = await fetchQuery(api.users.viewer, {}, { token });
    return viewer?.status !== "suspended";
  } catch {
    return false;
  }
}
