// Advisor marketplace tables (issue 6), spread into convex/schema.ts: profiles with review status,
// availability and derived sort/search keys; private verification documents; rate and fee history;
// favourites; presence heartbeats (a separate table so heartbeats do not invalidate listings).
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const categoryValidator = v.union(
  v.literal("tarot"),
  v.literal("astrology"),
  v.literal("career"),
  v.literal("relationships"),
  v.literal("wellness"),
  v.literal("finance"),
  v.literal("tech"),
);
export const advisorProfileStatusValidator = v.union(
  v.literal("draft"),
  v.literal("submitted"),
  v.literal("approved"),
  v.literal("rejected"),
  v.literal("suspended"),
);
export const availabilityValidator = v.union(v.literal("online"), v.literal("busy"), v.literal("offline"));
export const channelValidator = v.union(v.literal("chat"), v.literal("video"));

/** Payout account (Stripe Connect Express) status; "not_connected" is the absence of a row. */
export const payoutAccountStatusValidator = v.union(
  v.literal("not_connected"),
  v.literal("pending"),
  v.literal("enabled"),
  v.literal("restricted"),
);

export const advisorTables = {
  /** One Stripe Connect Express account per advisor, kept in step by `account.updated` webhooks. */
  payoutAccounts: defineTable({
    userId: v.id("users"),
    /** acct_… */
    accountId: v.string(),
    status: payoutAccountStatusValidator,
    chargesEnabled: v.boolean(),
    payoutsEnabled: v.boolean(),
    detailsSubmitted: v.boolean(),
    /** Stripe's requirements.disabled_reason while restricted. */
    disabledReason: v.optional(v.string()),
    /** `created` of the newest applied account.updated event (older ones are recorded, not applied). */
    lastEventCreated: v.optional(v.number()),
    lastEventId: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_account", ["accountId"]),

  advisorProfiles: defineTable({
    userId: v.id("users"),
    displayName: v.string(),
    headline: v.string(),
    bio: v.string(),
    categories: v.array(categoryValidator),
    tags: v.array(v.string()),
    languages: v.array(v.string()),
    yearsExperience: v.number(),
    avatarUrl: v.optional(v.string()),
    /** Uploaded profile photo (Convex storage); avatarUrl holds its served URL. */
    photoStorageId: v.optional(v.id("_storage")),
    /** 0 while a draft has not set it yet; submit requires $0.10..$50.00. */
    chatRateCentsPerMinute: v.number(),
    /** null when video is switched off. */
    videoRateCentsPerMinute: v.union(v.number(), v.null()),
    status: advisorProfileStatusValidator,
    /** Shown to the applicant when rejected, and to the advisor when suspended. */
    statusReason: v.optional(v.string()),
    submittedAt: v.optional(v.number()),
    reviewedAt: v.optional(v.number()),
    reviewedBy: v.optional(v.id("users")),
    /** Highest onboarding step saved (0-based index into ONBOARDING_STEPS). */
    onboardingStep: v.optional(v.number()),
    /** Platform fee in basis points for new sessions; absent means the default (1000 = 10%). */
    feeBps: v.optional(v.number()),
    /** What the advisor chose in the header toggle. */
    preferredAvailability: v.optional(availabilityValidator),
    /** Set while the advisor is in a live session (sessions call setInSession). */
    inSession: v.optional(v.boolean()),
    /** Effective availability: busy while in a session, otherwise the preference. */
    availability: availabilityValidator,
    /** availability !== "offline" (kept for the admin overview index). */
    online: v.boolean(),
    ratingSum: v.number(),
    ratingCount: v.number(),
    completedSessions: v.number(),
    // Derived keys (lib/advisors/rules.ts derivedProfileFields), written with every change.
    searchText: v.string(),
    ratingTenths: v.number(),
    ratingScore: v.number(),
    recommendedScore: v.number(),
    createdAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_status_online", ["status", "online"])
    .index("by_status_submitted", ["status", "submittedAt"])
    .index("by_status_recommended", ["status", "recommendedScore"])
    .index("by_status_rating", ["status", "ratingScore"])
    .index("by_status_chat_rate", ["status", "chatRateCentsPerMinute"])
    .index("by_status_video_rate", ["status", "videoRateCentsPerMinute"])
    .searchIndex("search_text", { searchField: "searchText", filterFields: ["status", "availability"] }),

  advisorDocuments: defineTable({
    profileId: v.id("advisorProfiles"),
    userId: v.id("users"),
    kind: v.literal("verification"),
    storageId: v.id("_storage"),
    fileName: v.string(),
    contentType: v.string(),
    size: v.number(),
    uploadedAt: v.number(),
  })
    .index("by_profile", ["profileId", "uploadedAt"])
    .index("by_storage", ["storageId"]),

  rateChanges: defineTable({
    profileId: v.id("advisorProfiles"),
    advisorUserId: v.id("users"),
    channel: channelValidator,
    /** null: not set / video off. */
    oldCents: v.union(v.number(), v.null()),
    newCents: v.union(v.number(), v.null()),
    changedBy: v.id("users"),
    changedAt: v.number(),
  })
    .index("by_changed_at", ["changedAt"])
    .index("by_profile", ["profileId", "changedAt"]),

  feeChanges: defineTable({
    profileId: v.id("advisorProfiles"),
    advisorUserId: v.id("users"),
    oldBps: v.number(),
    newBps: v.number(),
    reason: v.string(),
    changedBy: v.id("users"),
    changedAt: v.number(),
  })
    .index("by_changed_at", ["changedAt"])
    .index("by_profile", ["profileId", "changedAt"]),

  favourites: defineTable({
    clientId: v.id("users"),
    profileId: v.id("advisorProfiles"),
    createdAt: v.number(),
  })
    .index("by_client", ["clientId", "createdAt"])
    .index("by_client_profile", ["clientId", "profileId"]),

  advisorPresence: defineTable({
    userId: v.id("users"),
    profileId: v.id("advisorProfiles"),
    lastSeenAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_last_seen", ["lastSeenAt"]),
};
