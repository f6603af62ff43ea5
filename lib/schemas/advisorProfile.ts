// Zod schemas for the advisor profile: the onboarding form (rates typed in dollars), the API route
// and the Convex mutations (rates in integer cents). One source of limits: lib/advisors/rules.ts.
import { z } from "zod";
import { CATEGORY_SLUGS, type CategorySlug } from "../categories";
import { tryParseMoneyInput } from "../money";
import { checkRateCents, MAX_RATE_CENTS, PROFILE_LIMITS as L, rateRangeText } from "../advisors/rules";

const trimmed = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(min, min <= 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`)
    .max(max, `${label} can be at most ${max} characters.`);

export const displayNameSchema = trimmed("Display name", L.displayName.min, L.displayName.max);
export const headlineSchema = trimmed("Headline", L.headline.min, L.headline.max);
export const bioSchema = trimmed("Bio", L.bio.min, L.bio.max);

export const categoriesSchema = z
  .array(
    z.enum(CATEGORY_SLUGS as unknown as [CategorySlug, ...CategorySlug[]], { error: "Pick categories from the list." }),
  )
  .min(L.categories.min, "Pick at least one category.")
  .max(L.categories.max, `Pick at most ${L.categories.max} categories.`)
  .refine((list) => new Set(list).size === list.length, "Each category can be picked once.");

const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(L.tags.minLength, `Tags need at least ${L.tags.minLength} characters.`)
  .max(L.tags.maxLength, `Tags can be at most ${L.tags.maxLength} characters.`)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} '&+-]*$/u, "Tags can use letters, numbers, spaces and - only.");

export const tagsSchema = z
  .array(tagSchema)
  .max(L.tags.max, `Add at most ${L.tags.max} tags.`)
  .transform((tags) => [...new Set(tags)]);

export const languagesSchema = z
  .array(
    z
      .string()
      .trim()
      .min(2, "Language names need at least 2 characters.")
      .max(L.languages.maxLength, "That language name is too long."),
  )
  .min(L.languages.min, "Add at least one language.")
  .max(L.languages.max, `Add at most ${L.languages.max} languages.`)
  .transform((list) => [...new Set(list)]);

export const yearsExperienceSchema = z
  .number({ error: "Years of experience must be a number." })
  .int("Years of experience must be a whole number.")
  .min(L.yearsExperience.min, "Years of experience cannot be negative.")
  .max(L.yearsExperience.max, `Years of experience can be at most ${L.yearsExperience.max}.`);

/** A rate in integer cents (API and Convex). */
export const rateCentsSchema = (label: string) =>
  z.number({ error: `${label} must be a number of cents.` }).superRefine((value, ctx) => {
    const check = checkRateCents(value, label);
    if (!check.ok) ctx.addIssue({ code: "custom", message: check.error });
  });

// ---- Server / API shapes (cents) ---------------------------------------------------------------

export const aboutSchema = z.object({ displayName: displayNameSchema, headline: headlineSchema, bio: bioSchema });
export const expertiseSchema = z.object({
  categories: categoriesSchema,
  tags: tagsSchema,
  languages: languagesSchema,
  yearsExperience: yearsExperienceSchema,
});
export const ratesSchema = z.object({
  chatRateCentsPerMinute: rateCentsSchema("Chat rate"),
  /** null switches video off. */
  videoRateCentsPerMinute: rateCentsSchema("Video rate").nullable(),
});

/** The full editable profile (what submit-for-review requires, and what PUT /api/advisor/profile accepts). */
export const advisorProfileSchema = aboutSchema.extend(expertiseSchema.shape).extend(ratesSchema.shape);

/** A partial update: any subset of the fields, each fully validated. */
export const advisorProfilePatchSchema = advisorProfileSchema.partial().strict();

// ---- Form shapes (rates typed in dollars) ----------------------------------------------------

/** "2.50" -> 250 cents, with the rate rules; used by the rates step of the onboarding form. */
export const dollarRateSchema = (label: string) =>
  z.string().transform((text, ctx) => {
    const parsed = tryParseMoneyInput(text, { maxCents: MAX_RATE_CENTS * 1000 });
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `${label}: ${parsed.error}` });
      return z.NEVER;
    }
    const check = checkRateCents(parsed.cents, label);
    if (!check.ok) {
      ctx.addIssue({ code: "custom", message: `${label} must be between ${rateRangeText()} per minute.` });
      return z.NEVER;
    }
    return parsed.cents;
  });

export const ratesFormSchema = z
  .object({ chatRate: dollarRateSchema("Chat rate"), videoEnabled: z.boolean(), videoRate: z.string() })
  .transform((value, ctx) => {
    let video: number | null = null;
    if (value.videoEnabled) {
      const parsed = dollarRateSchema("Video rate").safeParse(value.videoRate);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: "custom", message: issue.message, path: ["videoRate"] });
        return z.NEVER;
      }
      video = parsed.data;
    }
    return { chatRateCentsPerMinute: value.chatRate, videoRateCentsPerMinute: video };
  });

export const expertiseFormSchema = z.object({
  categories: categoriesSchema,
  tagsText: z.string().max(400, "Too many tags."),
  languagesText: z.string().max(300, "Too many languages."),
  yearsExperience: z.coerce.number<string | number>({ error: "Enter a number." }).pipe(yearsExperienceSchema),
});

/** "love, clarity" -> ["love", "clarity"] */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Readable first message of a zod error. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue?.message ?? "Invalid input.";
}

export const rejectReasonSchema = z
  .string()
  .trim()
  .min(5, "Give the applicant a reason (at least 5 characters).")
  .max(1000, "Keep the reason under 1000 characters.");
