// Fault test on the real local backend with the app's convex/ dir (issue 11 item 5): a live session between
// the demo client and a demo advisor, the backend killed with SIGKILL mid-session and restarted on the same
// data dir. The session must carry on (heartbeats accepted) or end with a settlement, no money may be lost,
// and the ledger checker must pass.
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey as JoseKey } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { CONVEX_APPLICATION_ID, LOCAL_AUTH_ISSUER } from "../../lib/localAuth";
import { SEED_ADVISORS } from "../../lib/seedData";
import { ROOT, startBenchBackend } from "../../bench/support";
import { tempDir, waitFor } from "./helpers";

const ADMIN_KEY = "app-faults-admin-key";

const ref = {
  ensureViewer: makeFunctionReference<"mutation">("users:ensureViewer"),
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

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `faults-${Date.now().toString(36)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const jwks = `data:application/json;base64,${Buffer.from(JSON.stringify({ keys: [jwk] })).toString("base64")}`;
  const token = async (subject: string, name: string, key: JoseKey = privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    return await new SignJWT({ name, email: `${subject}@faults.test` })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(LOCAL_AUTH_ISSUER)
      .setAudience(CONVEX_APPLICATION_ID)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 60 * 60)
      .sign(key);
  };
  return { jwks, token };
}

function client(url: string, auth: { token?: string; admin?: boolean }) {
  const c = new ConvexHttpClient(url, { skipConvexDeploymentUrlCheck: true });
  if (auth.token) c.setAuth(auth.token);
  if (auth.admin) (c as unknown as { setAdminAuth(key: string): void }).setAdminAuth(ADMIN_KEY);
  return c;
}

async function totalOf(admin: ConvexHttpClient, kind: string): Promise<number> {
  let sum = 0;
  let cursor: string | null = null;
  for (;;) {
    const page: { page: { balanceCents: number }[]; isDone: boolean; continueCursor: string } = await admin.query(
      ref.listAccounts,
      { paginationOpts: { numItems: 500, cursor }, kind },
    );
    for (const a of page.page) sum += a.balanceCents;
    if (page.isDone) return sum;
    cursor = page.continueCursor;
  }
}

/** As an admin user (listAccounts needs admin:ledger). Client wallets + advisor pending/available + platform fees − promotions: a session only moves money among these. */
async function moneyInPlay(admin: ConvexHttpClient) {
  const [wallets, pending, available, fees, promotions] = await Promise.all(
    ["client_wallet", "advisor_pending", "advisor_available", "platform_fees", "promotions"].map((k) =>
      totalOf(admin, k),
    ),
  );
  return {
    wallets: wallets!,
    pending: pending!,
    available: available!,
    fees: fees!,
    promotions: promotions!,
    total: wallets! + pending! + available! + fees! - promotions!,
  };
}

const children: ChildProcess[] = [];
const dirs: (() => void)[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const cleanup of dirs) cleanup();
});

async function start(dataDir: string, jwks: string, seed?: string) {
  const started = await startBenchBackend({
    dataDir,
    convexDir: path.join(ROOT, "convex"),
    ...(seed ? { seed } : {}),
    env: { LOCAL_CONVEX_ADMIN_KEY: ADMIN_KEY, LOCAL_AUTH_JWKS: jwks, STREAM_API_KEY: "" },
    startTimeoutMs: 120_000,
  });
  children.push(started.child);
  return started;
}

async function killHard(child: ChildProcess) {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

describe("the app on the local backend, killed mid-session", () => {
  it(
    "kill -9 during a live session: after restart it continues or settles, no money is lost, the ledger checks",
    { timeout: 240_000 },
    async () => {
      const t0 = Date.now();
      const { dir, cleanup } = tempDir("app-faults-");
      dirs.push(cleanup);
      const keys = await signer();
      const first = await start(dir, keys.jwks, "seed:seedDemo");
      const startMs = Date.now() - t0;

      const advisorSeed = SEED_ADVISORS[0]!;
      const clientToken = await keys.token("demo-client", "Demo Client");
      const advisorToken = await keys.token(advisorSeed.subject, advisorSeed.name);
      let c = client(first.url, { token: clientToken });
      let a = client(first.url, { token: advisorToken });
      const adminToken = await keys.token("demo-admin", "Avery Admin");
      let admin = client(first.url, { admin: true });
      let adminUser = client(first.url, { token: adminToken });
      await adminUser.mutation(ref.ensureViewer, {});
      await c.mutation(ref.ensureViewer, {});
      await a.mutation(ref.ensureViewer, {});
      await a.mutation(api.presence.setAvailability, { availability: "online" });
      const profiles = await c.query(api.advisorProfiles.listApproved, {});
      const profile = profiles.find((p) => p.displayName === advisorSeed.name);
      expect(profile, `seeded advisor ${advisorSeed.name} is listed`).toBeDefined();

      const before = await moneyInPlay(adminUser);
      expect((await admin.mutation(ref.runChecker, {})).problems).toEqual([]);
      const { sessionId } = await c.mutation(api.sessions.request, {
        advisorProfileId: profile!._id,
        kind: "chat",
        rateCentsPerMinute: profile!.chatRateCentsPerMinute,
      });
      await a.mutation(api.sessions.accept, { sessionId });
      for (let i = 0; i < 3; i++) {
        await Promise.all([
          c.mutation(api.sessions.heartbeat, { sessionId }),
          a.mutation(api.sessions.heartbeat, { sessionId }),
        ]);
        await new Promise((r) => setTimeout(r, 700));
      }
      expect((await c.mutation(api.sessions.heartbeat, { sessionId })).status).toBe("active");

      // kill -9 mid-session, then restart on the same data dir (no seed this time).
      await killHard(first.child);
      const tRestart = Date.now();
      const second = await start(dir, keys.jwks);
      const restartMs = Date.now() - tRestart;
      c = client(second.url, { token: clientToken });
      a = client(second.url, { token: advisorToken });
      admin = client(second.url, { admin: true });
      adminUser = client(second.url, { token: adminToken });

      const after = await c.mutation(api.sessions.heartbeat, { sessionId });
      expect(["active", "paused", "ended"]).toContain(after.status);
      let costCents: number;
      if (after.status === "ended") {
        // Ended by the liveness check while down or on restart: it must have been settled; end() returns that settlement.
        ({ costCents } = await c.mutation(api.sessions.end, { sessionId }));
      } else {
        // It continues: both sides' heartbeats are accepted, then the client ends it.
        await a.mutation(api.sessions.heartbeat, { sessionId });
        ({ costCents } = await c.mutation(api.sessions.end, { sessionId }));
      }
      const again = await a.mutation(api.sessions.end, { sessionId });
      expect(again.costCents).toBe(costCents);
      expect(costCents).toBeGreaterThanOrEqual(0);

      const receipt = await waitFor(async () => await c.query(api.sessions.receipt, { sessionId }), {
        timeout: 10_000,
      });
      expect(receipt).toBeTruthy();
      const end = await moneyInPlay(adminUser);
      expect(end.total).toBe(before.total);
      expect(before.wallets - end.wallets).toBe(costCents);
      const check = await admin.mutation(ref.runChecker, {});
      expect(check.problems).toEqual([]);
      expect(check.ok).toBe(true);
      console.info(
        `appFaults: first start (seed) ${startMs} ms, restart after kill -9 ${restartMs} ms; session after restart: ${after.status}; cost ${costCents} cents; total ${Date.now() - t0} ms`,
      );
      await killHard(second.child);
    },
  );
});
