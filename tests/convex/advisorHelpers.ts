import type { Doc, Id } from "../../convex/_generated/dataModel";
import { derivedProfileFields } from "../../lib/advisors/rules";
import { insertUser, type Test } from "./helpers";

export type ProfileInput = Pick<Doc<"advisorProfiles">, "displayName" | "categories" | "status"> & {
  online?: boolean;
} & Partial<Omit<Doc<"advisorProfiles">, "online">>;

/** Inserts a user (role advisor unless told) and a profile with consistent derived keys. */
export async function addAdvisor(
  t: Test,
  subject: string,
  profile: ProfileInput,
  role: "client" | "advisor" = "advisor",
): Promise<Id<"advisorProfiles">> {
  const userId = await insertUser(t, subject, role);
  const { online, ...rest } = profile;
  const availability = rest.availability ?? (rest.status === "approved" && online ? "online" : "offline");
  const base = {
    userId,
    headline: "Headline",
    bio: "Bio",
    tags: [] as string[],
    languages: ["English"],
    yearsExperience: 3,
    chatRateCentsPerMinute: 100,
    videoRateCentsPerMinute: null,
    ratingSum: 0,
    ratingCount: 0,
    completedSessions: 0,
    createdAt: 0,
    preferredAvailability: availability,
    ...rest,
    availability,
  };
  return await t.run(async (ctx) => ctx.db.insert("advisorProfiles", { ...base, ...derivedProfileFields(base) }));
}
