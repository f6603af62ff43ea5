// Busy-lock abuse (issue 20): a client who cancels more than 3 requests to the same advisor within 10 minutes
// is refused further requests to that advisor for 10 minutes; a cancelled request never holds the advisor busy.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { cooldownUntil, REQUEST_COOLDOWN } from "../../lib/requestCooldown";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest } from "./helpers";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const MIN = 60_000;
const client = localIdentity("client1");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

async function setup() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const advisorProfile = (subject: string, displayName: string) =>
    addAdvisor(t, subject, {
      displayName,
      categories: ["tarot"],
      status: "approved",
      online: true,
      chatRateCentsPerMinute: 50,
    });
  const profileId = await advisorProfile("advisor1", "Ada Advisor");
  const otherProfileId = await advisorProfile("advisor2", "Bea Advisor");
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 5_000 },
    idempotencyKey: "topup:cooldown",
  });
  const requestAndCancel = async (advisorProfileId = profileId) => {
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, { advisorProfileId, kind: "chat", rateCentsPerMinute: 50 });
    await t.withIdentity(client).mutation(api.sessions.cancel, { sessionId });
  };
  const availability = async (id = profileId) =>
    (await t.run(async (ctx) => ctx.db.get("advisorProfiles", id)))!.availability;
  return { t, profileId, otherProfileId, requestAndCancel, availability };
}

describe("cooldownUntil", () => {
  it("starts a 10-minute cooldown at the 4th cancellation within 10 minutes", () => {
    expect(cooldownUntil([0, MIN, 2 * MIN], 3 * MIN)).toBeNull();
    expect(cooldownUntil([0, MIN, 2 * MIN, 3 * MIN], 3 * MIN)).toBe(13 * MIN);
    expect(cooldownUntil([0, MIN, 2 * MIN, 3 * MIN], 13 * MIN)).toBeNull();
    // Spread over more than 10 minutes: no cooldown.
    expect(cooldownUntil([0, 4 * MIN, 8 * MIN, 10 * MIN + 1], 11 * MIN)).toBeNull();
    expect(REQUEST_COOLDOWN).toMatchObject({ maxCancels: 3, windowMs: 10 * MIN, cooldownMs: 10 * MIN });
  });
});

describe("request cooldown", () => {
  it("refuses the 5th request after 4 quick cancels for 10 minutes, to that advisor only, with a clear message", async () => {
    const { t, profileId, otherProfileId, requestAndCancel, availability } = await setup();
    for (let i = 0; i < 4; i++) {
      await requestAndCancel();
      // A cancelled request never holds the advisor busy.
      expect(await availability()).toBe("online");
      vi.advanceTimersByTime(30_000);
    }
    const refused = t
      .withIdentity(client)
      .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 50 });
    await expectAppError(refused, "RATE_LIMITED");
    await expect(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 50 }),
    ).rejects.toThrow(/cancelled several requests to Ada Advisor.*again in \d+ minutes/);
    const error = await t
      .withIdentity(client)
      .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 50 })
      .catch((e: unknown) => e);
    const data = (error as { data: { retryAfterMs: number } }).data;
    expect(data.retryAfterMs).toBeGreaterThan(9 * MIN);
    expect(data.retryAfterMs).toBeLessThanOrEqual(10 * MIN);
    expect(await availability()).toBe("online");
    // Other advisors are unaffected.
    await requestAndCancel(otherProfileId);
    // After the cooldown, requests go through again.
    vi.advanceTimersByTime(10 * MIN);
    await expect(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 50 }),
    ).resolves.toHaveProperty("sessionId");
  });

  it("three cancels are fine", async () => {
    const { t, profileId, requestAndCancel } = await setup();
    for (let i = 0; i < 3; i++) await requestAndCancel();
    await expect(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 50 }),
    ).resolves.toHaveProperty("sessionId");
  });
});
