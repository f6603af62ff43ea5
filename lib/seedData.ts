import type { CategorySlug } from "./categories";
import { DEMO_ACCOUNTS } from "./demoAccounts";
import { sessionCostCents } from "./ledger/templates";

export type SeedAdvisor = {
  subject: string;
  name: string;
  email: string;
  headline: string;
  bio: string;
  categories: CategorySlug[];
  tags: string[];
  languages: string[];
  yearsExperience: number;
  chatRateCentsPerMinute: number;
  videoRateCentsPerMinute: number | null;
  online: boolean;
};

type Row = [
  name: string,
  categories: CategorySlug[],
  headline: string,
  chat: number,
  video: number | null,
  online: boolean,
  years: number,
  tags: string[],
  languages: string[],
];

// The first three match the demo advisor accounts in lib/demoAccounts.ts.
const ROWS: Row[] = [
  [
    "Luna Ortiz",
    ["tarot", "relationships"],
    "Clear, kind tarot readings for love and life",
    199,
    299,
    true,
    12,
    ["love", "clarity"],
    ["English", "Spanish"],
  ],
  [
    "Marcus Webb",
    ["career", "finance"],
    "Career moves, salary talks and first-time managers",
    250,
    350,
    true,
    15,
    ["negotiation", "leadership"],
    ["English"],
  ],
  [
    "Priya Nair",
    ["astrology"],
    "Vedic astrology: birth charts and timing",
    180,
    260,
    false,
    9,
    ["vedic", "birth chart"],
    ["English", "Hindi"],
  ],
  [
    "Sofia Rossi",
    ["astrology", "relationships"],
    "Synastry readings for couples",
    150,
    220,
    true,
    7,
    ["synastry", "compatibility"],
    ["English", "Italian"],
  ],
  [
    "Daniel Kim",
    ["tech"],
    "Senior engineer: code reviews, system design, interviews",
    300,
    400,
    true,
    11,
    ["system design", "interviews"],
    ["English", "Korean"],
  ],
  [
    "Amara Okafor",
    ["wellness"],
    "Stress, sleep and burnout recovery",
    140,
    210,
    true,
    8,
    ["mindfulness", "burnout"],
    ["English"],
  ],
  [
    "Elias Brandt",
    ["finance"],
    "Budgeting and first investments, no jargon",
    220,
    null,
    false,
    14,
    ["budgeting", "index funds"],
    ["English", "German"],
  ],
  [
    "Hana Sato",
    ["tarot"],
    "Intuitive tarot with practical next steps",
    120,
    180,
    true,
    5,
    ["intuition", "decisions"],
    ["English", "Japanese"],
  ],
  [
    "Noah Carter",
    ["career"],
    "Resume rewrites and career changes",
    160,
    240,
    false,
    6,
    ["resume", "career change"],
    ["English"],
  ],
  [
    "Isabela Costa",
    ["relationships", "wellness"],
    "Communication coaching for couples and families",
    175,
    250,
    true,
    10,
    ["communication", "family"],
    ["English", "Portuguese"],
  ],
  [
    "Omar Haddad",
    ["astrology", "tarot"],
    "Astrology and tarot combined readings",
    130,
    null,
    false,
    4,
    ["transits", "tarot spreads"],
    ["English", "Arabic"],
  ],
  [
    "Grace Liu",
    ["tech", "career"],
    "Breaking into product management",
    275,
    375,
    true,
    9,
    ["product", "interviews"],
    ["English", "Mandarin"],
  ],
  [
    "Mateo Alvarez",
    ["wellness"],
    "Fitness habits that stick",
    110,
    160,
    false,
    6,
    ["habits", "fitness"],
    ["English", "Spanish"],
  ],
  [
    "Chloe Martin",
    ["relationships"],
    "Dating after a breakup",
    145,
    215,
    true,
    7,
    ["dating", "breakups"],
    ["English", "French"],
  ],
  [
    "Tariq Ahmed",
    ["finance", "tech"],
    "Freelancer taxes and tools",
    240,
    null,
    false,
    12,
    ["freelance", "taxes"],
    ["English", "Urdu"],
  ],
  [
    "Freya Nilsson",
    ["tarot", "wellness"],
    "Gentle readings for anxious times",
    100,
    150,
    true,
    3,
    ["anxiety", "self-care"],
    ["English", "Swedish"],
  ],
  [
    "Kwame Mensah",
    ["career"],
    "Leadership coaching for new managers",
    320,
    450,
    false,
    18,
    ["leadership", "teams"],
    ["English"],
  ],
  [
    "Yuki Tanaka",
    ["astrology"],
    "Western astrology: your year ahead",
    160,
    230,
    true,
    8,
    ["solar return", "forecast"],
    ["English", "Japanese"],
  ],
  [
    "Lena Fischer",
    ["tech"],
    "Data science and ML career advice",
    290,
    390,
    false,
    10,
    ["machine learning", "data"],
    ["English", "German"],
  ],
  [
    "Rafael Souza",
    ["finance"],
    "Paying off debt with a plan",
    135,
    195,
    true,
    6,
    ["debt", "planning"],
    ["English", "Portuguese"],
  ],
];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z]+/g, "-");
}

export const SEED_ADVISORS: readonly SeedAdvisor[] = ROWS.map(
  ([name, categories, headline, chat, video, online, years, tags, languages], index) => ({
    subject: index < 3 ? `demo-advisor-${index + 1}` : `seed-advisor-${slug(name)}`,
    name,
    email: `${slug(name).replace(/-/g, ".")}@advisors.test`.replace(/\.@/, "@"),
    headline,
    bio: `${headline}. ${years} years of experience. Sessions are friendly, focused and confidential; bring your questions and we will work through them together.`,
    categories,
    tags,
    languages,
    yearsExperience: years,
    chatRateCentsPerMinute: chat,
    videoRateCentsPerMinute: video,
    online,
  }),
);

export function avatarPathFor(index: number): string {
  return `/avatars/advisor-${String(index + 1).padStart(2, "0")}.svg`;
}

/** The demo client's past sessions, as the seed writes them: advisor (index into SEED_ADVISORS) and billed time. */
export type SeedSessionPlan = { index: number; advisorIndex: number; billableSeconds: number; costCents: number };

export const SEED_SESSION_COUNT = 12;

export function seedSessionPlan(advisorCount: number = SEED_ADVISORS.length): SeedSessionPlan[] {
  return Array.from({ length: SEED_SESSION_COUNT }, (_, index) => {
    const advisorIndex = (index * 7) % advisorCount;
    // Demo advisors (the first three) get ≥ 25 extra minutes so they have the $25 payout minimum available.
    const billableSeconds = 240 + ((index * 97) % 900) + (advisorIndex < 3 ? 25 * 60 : 0);
    return {
      index,
      advisorIndex,
      billableSeconds,
      costCents: sessionCostCents(SEED_ADVISORS[advisorIndex]!.chatRateCentsPerMinute, billableSeconds),
    };
  });
}

/**
 * What the seed's top-ups put into the ledger's processor_cash: each demo client's wallet, plus the demo
 * client's past sessions. The local processor opens with exactly this balance, so a fresh demo reconciles
 * with zero drift (the seed's top-ups never went through the processor).
 */
export function seededTopUpCents(): number {
  const spentCents = seedSessionPlan().reduce((sum, s) => sum + s.costCents, 0);
  return DEMO_ACCOUNTS.reduce(
    (sum, a) => sum + (a.role === "client" ? (a.walletCents ?? 0) + (a.subject === "demo-client" ? spentCents : 0) : 0),
    0,
  );
}
