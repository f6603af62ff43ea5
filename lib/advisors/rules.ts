// Advisor profile rules shared by the onboarding form, the API route and Convex functions.
// Framework-free: no React, Next or Convex runtime imports.
import { formatMoney } from "../money";

export const PROFILE_LIMITS = {
  displayName: { min: 2, max: 60 },
  headline: { min: 10, max: 120 },
  bio: { min: 50, max: 2000 },
  categories: { min: 1, max: 3 },
  tags: { max: 10, minLength: 2, maxLength: 24 },
  languages: { min: 1, max: 8, maxLength: 30 },
  yearsExperience: { min: 0, max: 60 },
} as const;

/** Per-minute rate bounds, in cents: $0.10 to $50.00. */
export const MIN_RATE_CENTS = 10;
export const MAX_RATE_CENTS = 5000;
/**
 * "$0.10 and $50.00". A function, not a constant: the first currency Intl.NumberFormat costs 30-60 ms of a phone's main
 * thread, and every page importing this module (the advisors list, for the availability labels) paid it at load.
 */
export function rateRangeText(): string {
  return `${formatMoney(MIN_RATE_CENTS)} and ${formatMoney(MAX_RATE_CENTS)}`;
}

/** Profile photo: images only, at most 5 MB. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Verification document: PDF or image, at most 10 MB. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_TYPES = ["application/pdf", "image/png", "image/jpeg", "image/webp"] as const;

/** Platform fee default: 10% in basis points. */
export const DEFAULT_FEE_BPS = 1000;
/** Admin-settable fee range: 0% to 50%. */
export const MAX_FEE_BPS = 5000;

/** A session needs funds for at least this many minutes at the rate. */
export const MIN_FUNDED_MINUTES = 3;

/** An advisor whose app has not sent a heartbeat for longer than this is marked offline. */
export const PRESENCE_TIMEOUT_MS = 2 * 60 * 1000;
/** How often an open advisor app sends a heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 30 * 1000;

export const AVAILABILITIES = ["online", "busy", "offline"] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export const AVAILABILITY_LABEL: Record<Availability, string> = { online: "Online", busy: "Busy", offline: "Offline" };

export const ONBOARDING_STEPS = [
  { key: "about", title: "About you" },
  { key: "expertise", title: "Expertise" },
  { key: "photo", title: "Photo" },
  { key: "rates", title: "Rates" },
  { key: "verification", title: "Verification" },
  { key: "review", title: "Review & submit" },
] as const;

export type RateCheck = { ok: true } | { ok: false; error: string };

/** Checks a per-minute rate in cents: a whole number of cents between $0.10 and $50.00. */
export function checkRateCents(cents: unknown, label = "Rate"): RateCheck {
  if (typeof cents !== "number" || !Number.isFinite(cents))
    return { ok: false, error: `${label} must be a number of cents.` };
  if (!Number.isInteger(cents))
    return { ok: false, error: `${label} must be a whole number of cents (no fractions of a cent).` };
  if (cents < MIN_RATE_CENTS || cents > MAX_RATE_CENTS) {
    return { ok: false, error: `${label} must be between ${rateRangeText()} per minute.` };
  }
  return { ok: true };
}

/** Cents needed to start a session: the rate for MIN_FUNDED_MINUTES minutes. */
export function minimumFundsCents(rateCentsPerMinute: number): number {
  return rateCentsPerMinute * MIN_FUNDED_MINUTES;
}

/** Average rating in tenths of a star (45 = 4.5), 0 without reviews. Integer math only. */
export function ratingTenthsOf(ratingSum: number, ratingCount: number): number {
  if (ratingCount <= 0) return 0;
  return Math.floor((ratingSum * 10 * 2 + ratingCount) / (2 * ratingCount));
}

const AVAILABILITY_RANK: Record<Availability, number> = { online: 2, busy: 1, offline: 0 };

/**
 * The "recommended" sort key (higher first): availability (online, busy, offline), then rating,
 * then number of reviews (capped). Stored on the profile so that browsing reads an index.
 */
export function recommendedScore(availability: Availability, ratingTenths: number, ratingCount: number): number {
  return AVAILABILITY_RANK[availability] * 1_000_000 + ratingTenths * 10_000 + Math.min(ratingCount, 9_999);
}

/** Rating sort key (higher first): rating, then number of reviews. */
export function ratingScore(ratingTenths: number, ratingCount: number): number {
  return ratingTenths * 10_000 + Math.min(ratingCount, 9_999);
}

/** Lower-cased text the search index reads: name, headline, bio and tags. */
export function searchTextOf(p: {
  displayName: string;
  headline: string;
  bio: string;
  tags: readonly string[];
}): string {
  return [p.displayName, p.headline, p.bio, p.tags.join(" ")].join(" \n ").toLowerCase();
}

/** Fields derived from the editable ones; written with every change so browsing reads indexes. */
export function derivedProfileFields(p: {
  displayName: string;
  headline: string;
  bio: string;
  tags: readonly string[];
  availability: Availability;
  ratingSum: number;
  ratingCount: number;
}) {
  const ratingTenths = ratingTenthsOf(p.ratingSum, p.ratingCount);
  return {
    searchText: searchTextOf(p),
    ratingTenths,
    ratingScore: ratingScore(ratingTenths, p.ratingCount),
    recommendedScore: recommendedScore(p.availability, ratingTenths, p.ratingCount),
    online: p.availability !== "offline",
  };
}

/** Why a session of `kind` cannot start right now, or null when it can. */
export function startBlocker(input: {
  availability: Availability;
  rateCentsPerMinute: number | null;
  availableCents: number | null;
  signedIn: boolean;
}): { reason: "not_offered" | "offline" | "busy" | "sign_in" | "funds"; message: string } | null {
  if (input.rateCentsPerMinute === null)
    return { reason: "not_offered", message: "This advisor does not offer this channel." };
  if (input.availability === "offline") return { reason: "offline", message: "The advisor is offline right now." };
  if (input.availability === "busy") return { reason: "busy", message: "The advisor is in another session." };
  if (!input.signedIn || input.availableCents === null)
    return { reason: "sign_in", message: "Sign in to start a session." };
  const needed = minimumFundsCents(input.rateCentsPerMinute);
  if (input.availableCents < needed) {
    return {
      reason: "funds",
      message: `Not enough funds: you need ${formatMoney(needed)} for ${MIN_FUNDED_MINUTES} minutes.`,
    };
  }
  return null;
}
