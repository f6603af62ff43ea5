/**
 * The simulated marketplace the live benchmarks run against: signed-in users with real RS256 JWTs (the bench
 * generates a key pair and hands the backend its JWKS, exactly as scripts/dev.mjs does for the local sign-in),
 * advisors onboarded through the real flow (application, document upload, submit, approval by demo-admin,
 * online) and clients funded with `top_up` journals through the internal ledger:postEvents (admin key).
 */
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey as JoseKey } from "jose";
import { CONVEX_APPLICATION_ID, LOCAL_AUTH_ISSUER } from "../lib/localAuth";
import { SEED_ADVISORS } from "../lib/seedData";

export const BENCH_ADMIN_KEY = "bench-admin-key";

export const ref = {
  ensureViewer: makeFunctionReference<"mutation">("users:ensureViewer"),
  start: makeFunctionReference<"mutation", Record<string, never>, string>("advisorApplications:start"),
  updateProfile: makeFunctionReference<"mutation">("advisorApplications:updateProfile"),
  generateUploadUrl: makeFunctionReference<"mutation", Record<string, never>, string>(
    "advisorApplications:generateUploadUrl",
  ),
  attachDocument: makeFunctionReference<
    "mutation",
    { storageId: string; fileName: string },
    { ok: boolean; message?: string }
  >("advisorApplications:attachDocument"),
  submit: makeFunctionReference<"mutation">("advisorApplications:submit"),
  approve: makeFunctionReference<"mutation", { profileId: string }>("adminAdvisors:approve"),
  setAvailability: makeFunctionReference<"mutation", { availability: "online" }>("presence:setAvailability"),
  postEvents: makeFunctionReference<"mutation", { items: unknown[] }>("ledger:postEvents"),
  runChecker: makeFunctionReference<
    "mutation",
    Record<string, never>,
    { ok: boolean; journalsChecked: number; problems: string[] }
  >("ledger:runChecker"),
  listAccounts: makeFunctionReference<
    "query",
    { paginationOpts: { numItems: number; cursor: string | null }; kind: string },
    { page: { ownerId: string | null; balanceCents: number }[]; isDone: boolean; continueCursor: string }
  >("ledger:listAccounts"),
};

export class Signer {
  private constructor(
    private readonly key: JoseKey,
    private readonly kid: string,
    readonly jwksDataUri: string,
  ) {}

  static async create(): Promise<Signer> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = `bench-${Date.now().toString(36)}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    const jwks = `data:application/json;base64,${Buffer.from(JSON.stringify({ keys: [publicJwk] })).toString("base64")}`;
    return new Signer(privateKey, kid, jwks);
  }

  async token(subject: string, name: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return await new SignJWT({ name, email: `${subject}@bench.test` })
      .setProtectedHeader({ alg: "RS256", kid: this.kid, typ: "JWT" })
      .setIssuer(LOCAL_AUTH_ISSUER)
      .setAudience(CONVEX_APPLICATION_ID)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 2 * 60 * 60)
      .sign(this.key);
  }
}

export function userClient(url: string, token: string): ConvexHttpClient {
  const client = new ConvexHttpClient(url, { skipConvexDeploymentUrlCheck: true });
  client.setAuth(token);
  return client;
}

export function adminClient(url: string): ConvexHttpClient {
  const client = new ConvexHttpClient(url, { skipConvexDeploymentUrlCheck: true });
  (client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(BENCH_ADMIN_KEY);
  return client;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Balance per owner (house accounts under "house") of every account of `kind`. */
export async function balances(reader: ConvexHttpClient, kind: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor: string | null = null;
  for (;;) {
    const page: Awaited<ReturnType<typeof reader.query<typeof ref.listAccounts>>> = await reader.query(
      ref.listAccounts,
      {
        paginationOpts: { numItems: 500, cursor },
        kind,
      },
    );
    for (const a of page.page) out.set(a.ownerId ?? "house", (out.get(a.ownerId ?? "house") ?? 0) + a.balanceCents);
    if (page.isDone) return out;
    cursor = page.continueCursor;
  }
}

export const sumOf = (m: Map<string, number>): number => [...m.values()].reduce((s, v) => s + v, 0);

export type BenchClient = { subject: string; token: string; convex: ConvexHttpClient; id: string };
export type BenchAdvisor = BenchClient & { profileId: string; rateCentsPerMinute: number };

/**
 * `n` clients and `n` advisors (advisor i copies seed advisor i mod the seed's size, so rates vary), every
 * advisor approved and online, client i funded with `fundCents(advisor i's chat rate)`.
 */
export async function setupPopulation(
  url: string,
  signer: Signer,
  n: number,
  fundCents: (rateCentsPerMinute: number) => number,
): Promise<{ clients: BenchClient[]; advisors: BenchAdvisor[]; adminUser: ConvexHttpClient }> {
  const admin = adminClient(url);
  const adminUser = userClient(url, await signer.token("demo-admin", "Avery Admin"));
  const clients: BenchClient[] = [];
  const advisors: BenchAdvisor[] = [];
  for (let i = 0; i < n; i++) {
    const clientToken = await signer.token(`bench-client-${i}`, `Client ${i}`);
    const advisorToken = await signer.token(`bench-advisor-${i}`, `Advisor ${i}`);
    clients.push({ subject: `bench-client-${i}`, token: clientToken, convex: userClient(url, clientToken), id: "" });
    const seed = SEED_ADVISORS[i % SEED_ADVISORS.length]!;
    advisors.push({
      subject: `bench-advisor-${i}`,
      token: advisorToken,
      convex: userClient(url, advisorToken),
      id: "",
      profileId: "",
      rateCentsPerMinute: seed.chatRateCentsPerMinute,
    });
  }
  await pool(clients, 64, async (c) => {
    c.id = ((await c.convex.mutation(ref.ensureViewer, {})) as { _id: string })._id;
  });
  const pdf = new TextEncoder().encode("%PDF-1.4\n% bench verification document\n%%EOF\n");
  await pool(advisors, 64, async (a, i) => {
    a.id = ((await a.convex.mutation(ref.ensureViewer, {})) as { _id: string })._id;
    a.profileId = await a.convex.mutation(ref.start, {});
    const seed = SEED_ADVISORS[i % SEED_ADVISORS.length]!;
    await a.convex.mutation(ref.updateProfile, {
      displayName: `${seed.name} ${i}`.slice(0, 60),
      headline: seed.headline,
      bio: seed.bio,
      categories: seed.categories,
      tags: seed.tags,
      languages: seed.languages,
      yearsExperience: seed.yearsExperience,
      chatRateCentsPerMinute: seed.chatRateCentsPerMinute,
      videoRateCentsPerMinute: seed.videoRateCentsPerMinute,
    });
    const uploadUrl = await a.convex.mutation(ref.generateUploadUrl, {});
    const upload = await fetch(uploadUrl, {
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: pdf,
    });
    if (!upload.ok) throw new Error(`upload failed: ${upload.status}`);
    const { storageId } = (await upload.json()) as { storageId: string };
    const attached = await a.convex.mutation(ref.attachDocument, { storageId, fileName: "id.pdf" });
    if (!attached.ok) throw new Error(`document refused: ${attached.message}`);
    await a.convex.mutation(ref.submit, {});
  });
  await pool(advisors, 64, async (a) => {
    await adminUser.mutation(ref.approve, { profileId: a.profileId });
  });
  for (let i = 0; i < n; i += 250) {
    await admin.mutation(ref.postEvents, {
      items: clients.slice(i, i + 250).map((c, k) => ({
        event: { kind: "top_up", clientId: c.id, amountCents: fundCents(advisors[i + k]!.rateCentsPerMinute) },
        idempotencyKey: `bench:fund:${c.id}`,
      })),
    });
  }
  await pool(advisors, 64, async (a) => {
    await a.convex.mutation(ref.setAvailability, { availability: "online" });
  });
  return { clients, advisors, adminUser };
}
