// "Notify me when online" (issue 24) on convex-test with a fake clock: followers get an in-app notification and
// a dev-mailbox email when the advisor comes online, at most once per 6 hours per pair (unfollow + follow does
// not reset it), not when the advisor is merely free again after a session; unfollow from the notification.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const HOUR = 60 * 60_000;
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  vi.stubEnv("EMAIL_DEV_MAILBOX", "1");
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function setup() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada",
    categories: ["tarot"],
    status: "approved",
    online: false,
    chatRateCentsPerMinute: 100,
  });
  return { t, clientId, profileId };
}

async function goOnline(t: Test) {
  await t.withIdentity(advisor).mutation(api.presence.setAvailability, { availability: "online" });
  vi.advanceTimersByTime(1); // the batch is scheduled with runAfter(0)
  await t.finishInProgressScheduledFunctions();
}
async function goOffline(t: Test) {
  await t.withIdentity(advisor).mutation(api.presence.setAvailability, { availability: "offline" });
}

async function onlineNotices(t: Test) {
  const rows = await t.withIdentity(client).query(api.notifications.list, { limit: 50 });
  return rows.filter((n) => n.kind === "advisor_online");
}
async function emails(t: Test) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("devMailbox").collect()).filter((m) => m.kind === "advisor_online"),
  );
}

describe("follow: notify when online", { timeout: 30_000 }, () => {
  it("notifies once per 6 hours per pair, in the app and by email", async () => {
    const { t, profileId } = await setup();
    await t.withIdentity(client).mutation(api.follows.follow, { profileId });
    await t.withIdentity(client).mutation(api.follows.follow, { profileId }); // twice: one follow
    expect(await t.withIdentity(client).query(api.follows.myIds, {})).toEqual([profileId]);

    await goOnline(t);
    const [first] = await onlineNotices(t);
    expect(first).toMatchObject({ title: "Ada is online now", href: `/advisors/${profileId}` });
    expect(await emails(t)).toHaveLength(1);
    expect((await emails(t))[0]).toMatchObject({ to: "client1@example.test", subject: "Ada is online now" });

    // Offline and back within the window: nothing new; unfollowing and following again does not reset it.
    vi.advanceTimersByTime(HOUR);
    await goOffline(t);
    await t.withIdentity(client).mutation(api.follows.unfollow, { profileId });
    await t.withIdentity(client).mutation(api.follows.follow, { profileId });
    await goOnline(t);
    expect(await onlineNotices(t)).toHaveLength(1);
    // A repeated batch (a duplicate scheduled run) tells nobody twice.
    await t.mutation(internal.follows.notifyFollowers, {
      advisorId: await t.run(async (ctx) => (await ctx.db.get("advisorProfiles", profileId))!.userId),
    });
    expect(await onlineNotices(t)).toHaveLength(1);

    // Exactly 6 hours after the first notice: due again.
    vi.setSystemTime(T0 + 6 * HOUR); // the first batch ran at T0 + 1 ms; this one runs at T0 + 6 h + 1 ms
    await goOffline(t);
    await goOnline(t);
    expect(await onlineNotices(t)).toHaveLength(2);
    expect(await emails(t)).toHaveLength(2);
  });

  it("is not sent when the advisor is only free again after a session, nor to those who unfollowed", async () => {
    const { t, clientId, profileId } = await setup();
    const other = localIdentity("client2");
    const otherId = await insertUser(t, "client2", "client");
    await t.withIdentity(other).mutation(api.follows.follow, { profileId });
    await goOnline(t);
    // client1 starts and ends a session; client2 already got today's notice anyway, client1 follows now.
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: 1_000 },
      idempotencyKey: "topup:1",
    });
    await t.finishInProgressScheduledFunctions();
    await t.withIdentity(client).mutation(api.follows.follow, { profileId });
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    vi.advanceTimersByTime(1);
    await t.finishInProgressScheduledFunctions();
    expect(await onlineNotices(t)).toHaveLength(0);
    const otherNotices = await t.withIdentity(other).query(api.notifications.list, {});
    expect(otherNotices.filter((n) => n.kind === "advisor_online")).toHaveLength(1);
    expect(otherId).toBeDefined();

    // client2 stops following from the notification itself; client1 stops from favourites (unfollow).
    const notice = otherNotices.find((n) => n.kind === "advisor_online")!;
    await expectAppError(
      t.withIdentity(client).mutation(api.follows.unfollowFromNotification, { notificationId: notice._id }),
      "NOT_FOUND",
    );
    expect(
      await t.withIdentity(other).mutation(api.follows.unfollowFromNotification, { notificationId: notice._id }),
    ).toEqual({ profileId });
    await t.withIdentity(client).mutation(api.follows.unfollow, { profileId });
    expect(await t.withIdentity(other).query(api.follows.isFollowing, { profileId })).toBe(false);
    vi.setSystemTime(T0 + 7 * HOUR);
    await goOffline(t);
    await goOnline(t);
    expect(await onlineNotices(t)).toHaveLength(0);
    expect(
      (await t.withIdentity(other).query(api.notifications.list, {})).filter((n) => n.kind === "advisor_online"),
    ).toHaveLength(1);
  });

  it("refuses following yourself or an unlisted advisor", async () => {
    const { t } = await setup();
    const draftId = await addAdvisor(t, "advisor2", { displayName: "Draft", categories: ["tarot"], status: "draft" });
    await expectAppError(t.withIdentity(client).mutation(api.follows.follow, { profileId: draftId }), "NOT_FOUND");
    await expectAppError(
      t.withIdentity(localIdentity("advisor2")).mutation(api.follows.follow, { profileId: draftId }),
      "NOT_FOUND",
    );
  });
});
