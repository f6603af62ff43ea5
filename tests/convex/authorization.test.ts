// Authorization coverage (issue 11): every public query, mutation and action of convex/*.ts has
// a line in COVERAGE with the expected outcome for an anonymous caller, a client, an advisor and
// an admin, called with valid arguments built from a seeded fixture; own-resource functions also
// have a "another user's ids" case. A public function without a line, or a line naming a function
// that no longer exists, fails the test.
//
// Outcomes: "allow" succeeds; "allow*" passes the role check but may then fail with a domain
// error (any ConvexError code except UNAUTHENTICATED/FORBIDDEN), because a full success needs
// setup the row does not build; "skip" is not called (actions reaching an outside service: only
// their deny cases are asserted); otherwise the ConvexError code the call must fail with.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  call,
  type Caller,
  type Fixture,
  missingId,
  outcomeOf,
  publicFunctions,
  seedFixture,
  tableCounts,
} from "./authorizationFixture";

type Outcome = "allow" | "allow*" | "skip" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND";
type Roles = { anonymous: Outcome; client: Outcome; advisor: Outcome; admin: Outcome };
type Foreign = { as: Caller; expect: Outcome };
type Row = { roles: Roles; args: (f: Fixture) => Record<string, unknown>; foreign?: Foreign };

const roles = (anonymous: Outcome, client: Outcome, advisor: Outcome, admin: Outcome): Roles => ({
  anonymous,
  client,
  advisor,
  admin,
});
const U = "UNAUTHENTICATED",
  F = "FORBIDDEN";
/** Readable by anyone, signed in or not. */
const PUBLIC = roles("allow", "allow", "allow", "allow");
/** Any signed-in user (own data). */
const SIGNED_IN = roles(U, "allow", "allow", "allow");
const SIGNED_IN_STAR = roles(U, "allow*", "allow*", "allow*");
const ADVISOR = roles(U, F, "allow", F);
const ADVISOR_STAR = roles(U, F, "allow*", F);
const ADMIN = roles(U, F, F, "allow");
const ADMIN_STAR = roles(U, F, F, "allow*");

const page = { numItems: 10, cursor: null };
const none = () => ({});
const row = (r: Roles, args: Row["args"] = none, foreign?: Foreign): Row => ({ roles: r, args, foreign });
// Another user's ids: client2 / advisor2 are not parties to the fixture's session of client1 with advisor1.
const NOT_CLIENTS = { as: "client2", expect: "NOT_FOUND" } as const;
const NOT_ADVISORS = { as: "advisor2", expect: "NOT_FOUND" } as const;

// prettier-ignore
const COVERAGE: Record<string, Row> = {
  "admin:dashboard": row(ADMIN, () => ({ today: "2026-11-21", tzOffsetMinutes: 0 })),
  "admin:overview": row(ADMIN),
  "adminAdvisors:approve": row(ADMIN_STAR, (f) => ({ profileId: f.profileId })),
  "adminAdvisors:getApplication": row(ADMIN, (f) => ({ profileId: f.profileId })),
  "adminAdvisors:listByStatus": row(ADMIN, () => ({ status: "approved", paginationOpts: page })),
  "adminAdvisors:listFeeChanges": row(ADMIN, () => ({ paginationOpts: page })),
  "adminAdvisors:listRateChanges": row(ADMIN, () => ({ paginationOpts: page })),
  "adminAdvisors:reinstate": row(ADMIN_STAR, (f) => ({ profileId: f.profileId })),
  "adminAdvisors:reject": row(ADMIN_STAR, (f) => ({ profileId: f.profileId, reason: "Not a fit" })),
  "adminAdvisors:setFeeBps": row(ADMIN_STAR, (f) => ({ profileId: f.profileId, feeBps: 1500, reason: "Volume deal" })),
  "adminAdvisors:statusCounts": row(ADMIN),
  "adminAdvisors:suspend": row(ADMIN_STAR, (f) => ({ profileId: f.profileId, reason: "Complaints" })),
  "adminSessions:get": row(ADMIN, (f) => ({ sessionId: f.sessionId })),
  "adminSessions:history": row(ADMIN, () => ({ paginationOpts: page })),
  "adminSessions:live": row(ADMIN),
  "adminUsers:changeRole": row(ADMIN_STAR, (f) => ({ userId: f.client2Id, role: "advisor", reason: "Asked to" })),
  "adminUsers:creditLimits": row(ADMIN, () => ({ paginationOpts: page })),
  "adminUsers:creditLimitTotals": row(ADMIN),
  "adminUsers:decideAdminGrant": row(ADMIN_STAR, () => ({ grantId: missingId("roleGrants"), approve: true })),
  "adminUsers:pendingAdminGrants": row(ADMIN),
  "adminUsers:detail": row(ADMIN, (f) => ({ userId: f.clientId })),
  "adminUsers:list": row(ADMIN, () => ({ paginationOpts: page })),
  "adminUsers:reinstate": row(ADMIN_STAR, (f) => ({ userId: f.client2Id, reason: "Appeal granted" })),
  "adminUsers:search": row(ADMIN, () => ({ text: "client" })),
  "adminUsers:suspend": row(ADMIN_STAR, (f) => ({ userId: f.client2Id, reason: "Abuse reports" })),
  "advisorApplications:attachDocument": row(SIGNED_IN_STAR, () => ({ storageId: missingId("_storage"), fileName: "id.pdf" })),
  "advisorApplications:attachPhoto": row(SIGNED_IN_STAR, () => ({ storageId: missingId("_storage") })),
  "advisorApplications:generateUploadUrl": row(SIGNED_IN_STAR),
  "advisorApplications:myProfile": row(SIGNED_IN),
  "advisorApplications:removeDocument": row(SIGNED_IN_STAR, () => ({ documentId: missingId("advisorDocuments") })),
  "advisorApplications:saveStep": row(SIGNED_IN_STAR, () => ({ step: 1, displayName: "New Name" })),
  "advisorApplications:start": row(SIGNED_IN_STAR),
  "advisorApplications:submit": row(SIGNED_IN_STAR),
  "advisorApplications:updateProfile": row(SIGNED_IN_STAR, () => ({ displayName: "New Name" })),
  "advisorProfiles:browse": row(PUBLIC, () => ({ paginationOpts: page })),
  "advisorProfiles:getApproved": row(PUBLIC, (f) => ({ profileId: f.profileId })),
  "advisorProfiles:getPublic": row(PUBLIC, (f) => ({ profileId: f.profileId })),
  "advisorProfiles:listApproved": row(PUBLIC),
  "advisorProfiles:listReviews": row(PUBLIC, (f) => ({ profileId: f.profileId, paginationOpts: page })),
  "audit:actors": row(ADMIN),
  "audit:list": row(ADMIN, () => ({ paginationOpts: page })),
  "chat:list": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "chat:send": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId, body: "hello" }), NOT_CLIENTS),
  "chat:setTyping": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId, typing: true }), NOT_CLIENTS),
  "chat:streamAccess": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "chat:typingState": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "disputes:adminGet": row(ADMIN, (f) => ({ disputeId: f.disputeId })),
  "disputes:adminList": row(ADMIN, () => ({ paginationOpts: page })),
  "disputes:createSessionAdjustment": row(ADMIN_STAR, (f) => ({ sessionId: f.sessionId, direction: "advisor_underpaid", amountCents: 100, reason: "Short paid" })),
  "disputes:decideSessionAdjustment": row(ADMIN_STAR, () => ({ adjustmentId: missingId("adjustments"), approve: true })),
  "disputes:releaseAdjustmentNow": row(ADMIN_STAR, () => ({ adjustmentId: missingId("adjustments") })),
  "disputes:file": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId, category: "other", description: "It went wrong badly", requestedRefundCents: 100 }), NOT_CLIENTS),
  "disputes:forAdvisor": row(ADVISOR),
  "disputes:forSession": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "disputes:listAdjustments": row(ADMIN, () => ({ paginationOpts: page })),
  "disputes:listReceivables": row(ADMIN, () => ({ paginationOpts: page })),
  "disputes:myReceivables": row(ADVISOR),
  "disputes:resolve": row(ADMIN_STAR, (f) => ({ disputeId: f.disputeId, outcome: "reject", note: "No evidence", earlyDecisionReason: "Decided in a test before the window closed." })),
  "disputes:respond": row(ADVISOR_STAR, (f) => ({ disputeId: f.disputeId, response: "I was there all along." }), NOT_ADVISORS),
  "disputes:reverseTransferForReceivable": row(ADMIN_STAR, () => ({ receivableId: missingId("receivables") })),
  "disputes:settleReceivableManually": row(ADMIN_STAR, () => ({ receivableId: missingId("receivables"), method: "manual", amountCents: 100, note: "Paid by bank" })),
  "earnings:list": row(ADVISOR, () => ({ paginationOpts: page })),
  "earnings:summary": row(ADVISOR, () => ({ tzOffsetMinutes: 0 })),
  "favourites:add": row(SIGNED_IN_STAR, (f) => ({ profileId: f.profileId })),
  "favourites:listMine": row(SIGNED_IN),
  "favourites:myIds": row(SIGNED_IN),
  "favourites:remove": row(SIGNED_IN_STAR, (f) => ({ profileId: f.profileId })),
  "follows:follow": row(SIGNED_IN_STAR, (f) => ({ profileId: f.profileId })),
  "follows:isFollowing": row(SIGNED_IN, (f) => ({ profileId: f.profileId })),
  "follows:myIds": row(SIGNED_IN),
  "follows:unfollow": row(SIGNED_IN, (f) => ({ profileId: f.profileId })),
  "follows:unfollowFromNotification": row(SIGNED_IN_STAR, (f) => ({ notificationId: f.notificationId }), NOT_CLIENTS),
  "ledger:getAccount": row(ADMIN_STAR, () => ({ accountId: missingId("accounts") })),
  "ledger:getJournal": row(ADMIN_STAR, () => ({ journalId: missingId("journals") })),
  "ledger:health": row(ADMIN),
  "ledger:listAccounts": row(ADMIN, () => ({ paginationOpts: page })),
  "ledger:listJournals": row(ADMIN, () => ({ paginationOpts: page })),
  "ledger:runCheckerNow": row(ADMIN),
  "ledger:checkRequest": row(ADMIN, () => ({ requestId: "none", jobId: "none" })),
  "marginExports:list": row(ADMIN),
  "marginExports:resume": row(ADMIN_STAR, (f) => ({ exportId: f.exportId })),
  "marginExports:start": row(ADMIN, () => ({ from: "2026-11-01", to: "2026-11-21", tzOffsetMinutes: 0 })),
  "margins:report": row(ADMIN, () => ({ from: "2026-11-01", to: "2026-11-21", tzOffsetMinutes: 0 })),
  "margins:advisorPage": row(ADMIN, () => ({
    from: "2026-11-01",
    to: "2026-11-21",
    tzOffsetMinutes: 0,
    paginationOpts: { numItems: 10, cursor: null },
  })),
  "notifications:devMailbox": row(ADMIN_STAR),
  "notifications:list": row(SIGNED_IN),
  "notifications:markAllRead": row(SIGNED_IN),
  "notifications:markRead": row(SIGNED_IN_STAR, (f) => ({ notificationId: f.notificationId }), NOT_CLIENTS),
  "notifications:unreadCount": row(SIGNED_IN),
  "offlineMessages:adminList": row(ADMIN, () => ({ paginationOpts: page })),
  "offlineMessages:dispute": row(SIGNED_IN_STAR, (f) => ({ messageId: f.offlineMessageId, reason: "The reply did not answer me." }), NOT_CLIENTS),
  "offlineMessages:get": row(SIGNED_IN, (f) => ({ messageId: f.offlineMessageId }), NOT_CLIENTS),
  "offlineMessages:listForAdvisor": row(ADVISOR, () => ({ paginationOpts: page })),
  "offlineMessages:listMine": row(SIGNED_IN, () => ({ paginationOpts: page })),
  "offlineMessages:mySettings": row(ADVISOR),
  "offlineMessages:offer": row(PUBLIC, (f) => ({ profileId: f.profileId })),
  "offlineMessages:reply": row(ADVISOR, (f) => ({ messageId: f.offlineMessageId, reply: "Here is my answer." }), NOT_ADVISORS),
  "offlineMessages:resolveDispute": row(ADMIN_STAR, (f) => ({ messageId: f.offlineMessageId, outcome: "reject", note: "No evidence" })),
  "offlineMessages:send": row(SIGNED_IN_STAR, (f) => ({ advisorProfileId: f.profileId, body: "Another question.", priceCents: 500, requestKey: "fixture-send-2" })),
  "offlineMessages:setPrice": row(ADVISOR, () => ({ priceCents: 700 })),
  "ops:acknowledgeAlert": row(ADMIN_STAR, () => ({ alertId: missingId("alerts"), note: "Looked at it" })),
  "ops:billingStatus": row(ADMIN),
  "ops:listAlerts": row(ADMIN, () => ({ paginationOpts: page, status: "all" })),
  "ops:reconciliationHistory": row(ADMIN),
  "ops:reserveOverview": row(ADMIN),
  "ops:setReserveSettings": row(ADMIN_STAR, () => ({ minimumReserveCents: 1000, reason: "Policy change" })),
  "ops:reconcileNow": row(ADMIN),
  "ops:reconcileRequest": row(ADMIN, () => ({ requestId: "none", jobId: "none" })),
  "payoutAccounts:mine": row(SIGNED_IN),
  "payouts:adminList": row(ADMIN, () => ({ paginationOpts: page })),
  "payouts:approve": row(ADMIN_STAR, () => ({ payoutId: missingId("payouts") })),
  "payouts:cancel": row(ADMIN_STAR, () => ({ payoutId: missingId("payouts"), reason: "Duplicate" })),
  "payouts:health": row(ADMIN),
  "payouts:listMine": row(ADVISOR, () => ({ paginationOpts: page })),
  "payouts:reject": row(ADMIN_STAR, () => ({ payoutId: missingId("payouts"), reason: "Duplicate" })),
  "payouts:request": row(ADVISOR_STAR, () => ({ amountCents: 900 })),
  "payouts:retry": row(ADMIN_STAR, () => ({ payoutId: missingId("payouts") })),
  "payouts:summary": row(ADVISOR),
  "platformSettings:get": row(ADMIN),
  "platformSettings:setNewClientOffer": row(ADMIN, () => ({ enabled: false })),
  "presence:heartbeat": row(ADVISOR_STAR),
  "presence:mine": row(ADVISOR),
  "presence:setAvailability": row(ADVISOR_STAR, () => ({ availability: "offline" })),
  "queue:acceptOffer": row(SIGNED_IN_STAR, () => ({ rateCentsPerMinute: 100 })),
  "queue:forAdvisor": row(ADVISOR),
  "queue:join": row(SIGNED_IN_STAR, (f) => ({ profileId: f.profileId, kind: "chat" })),
  "queue:leave": row(SIGNED_IN),
  "queue:mine": row(SIGNED_IN),
  "queue:setMax": row(ADVISOR_STAR, () => ({ maxLength: 5 })),
  "queue:summary": row(SIGNED_IN, (f) => ({ profileId: f.profileId })),
  "reviews:adminReports": row(ADMIN, () => ({ paginationOpts: page })),
  "reviews:decide": row(ADMIN_STAR, () => ({ reportId: missingId("reviewReports"), decision: "dismiss", note: "Honest opinion" })),
  "reviews:editReply": row(ADVISOR_STAR, (f) => ({ reviewId: f.reviewId, reply: "Edited reply" }), NOT_ADVISORS),
  "reviews:listMine": row(ADVISOR, () => ({ paginationOpts: page })),
  "reviews:reply": row(ADVISOR, (f) => ({ reviewId: f.reviewId, reply: "Thank you!" }), NOT_ADVISORS),
  "reviews:report": row(roles(U, "allow", "allow", F), (f) => ({ reviewId: f.reviewId, reason: "Looks fake to me." })),
  "riskHolds:get": row(ADMIN, (f) => ({ advisorId: f.advisorId })),
  "riskHolds:set": row(ADMIN_STAR, (f) => ({ advisorId: f.advisorId, active: true, reserveBps: 1000, holdDays: 30, reason: "New account" })),
  "sessions:accept": row(ADVISOR_STAR, (f) => ({ sessionId: f.sessionId }), NOT_ADVISORS),
  "sessions:adminEnd": row(ADMIN_STAR, (f) => ({ sessionId: f.sessionId, reason: "Abusive chat" })),
  "sessions:cancel": row(roles(U, "allow*", F, "allow*"), (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:current": row(SIGNED_IN),
  "sessions:decline": row(ADVISOR_STAR, (f) => ({ sessionId: f.sessionId }), NOT_ADVISORS),
  "sessions:end": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:heartbeat": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:incoming": row(ADVISOR),
  "sessions:listAsAdvisor": row(ADVISOR, () => ({ paginationOpts: page })),
  "sessions:listMine": row(SIGNED_IN, () => ({ paginationOpts: page })),
  "sessions:pause": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:presence": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:rate": row(roles(U, "allow*", F, "allow*"), (f) => ({ sessionId: f.sessionId, rating: 5, comment: "Great" }), NOT_CLIENTS),
  "sessions:receipt": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:request": row(SIGNED_IN_STAR, (f) => ({ advisorProfileId: f.profileId, kind: "chat", rateCentsPerMinute: 100 })),
  "sessions:resume": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:room": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "sessions:timeline": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId }), NOT_CLIENTS),
  "stripeNode:createTopUpCheckout": row(roles(U, "skip", "skip", "skip"), () => ({ amount: "50" })),
  "stripeNode:startPayoutOnboarding": row(roles(U, F, "skip", F)),
  "topups:adminClientWallet": row(ADMIN, (f) => ({ userId: f.clientId })),
  "topups:getMine": row(SIGNED_IN_STAR, () => ({ topupId: missingId("topups") })),
  "topups:listMine": row(SIGNED_IN),
  "topups:dismissFailed": row(SIGNED_IN_STAR, () => ({ topupId: missingId("topups") })),
  "topups:myPaymentSettings": row(SIGNED_IN),
  "topups:removeSavedCard": row(SIGNED_IN_STAR),
  "topups:setAutoReload": row(SIGNED_IN_STAR, () => ({ enabled: true, thresholdCents: 1000, amountCents: 5000 })),
  "topups:setClientCreditLimit": row(ADMIN_STAR, (f) => ({ userId: f.clientId, creditLimitCents: 1000, reason: "Trusted client" })),
  "users:ensureViewer": row(SIGNED_IN),
  "users:viewer": row(PUBLIC),
  "video:signal": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId, kind: "offer", payload: "sdp" }), NOT_CLIENTS),
  "video:signals": row(SIGNED_IN_STAR, (f) => ({ sessionId: f.sessionId, afterCreatedAt: 0 }), NOT_CLIENTS),
  "wallet:getMyWallet": row(SIGNED_IN),
  "wallet:listMyHistory": row(SIGNED_IN, () => ({ paginationOpts: page })),
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

function matches(expected: Outcome, actual: string): boolean {
  if (expected === "allow*")
    return actual !== "UNAUTHENTICATED" && actual !== "FORBIDDEN" && !actual.startsWith("ERROR:");
  return expected === actual;
}

describe("authorization coverage", () => {
  // It loads every Convex module first (≈ 2 s alone, more while the other test files run).
  it(
    "every public function has a line in the table, and every line names a public function",
    { timeout: 30_000 },
    async () => {
      const names = (await publicFunctions()).map((f) => f.name);
      expect(names.length).toBeGreaterThan(100);
      expect(
        names.filter((n) => !(n in COVERAGE)),
        "public functions missing from COVERAGE",
      ).toEqual([]);
      expect(
        Object.keys(COVERAGE).filter((n) => !names.includes(n)),
        "COVERAGE lines naming no public function",
      ).toEqual([]);
    },
  );

  it("each function answers each role as the table says", { timeout: 120_000 }, async () => {
    const mismatches: string[] = [];
    for (const { name, kind } of await publicFunctions()) {
      const entry = COVERAGE[name];
      if (entry === undefined) continue; // reported by the test above
      for (const caller of ["anonymous", "client", "advisor", "admin"] as const) {
        const expected = entry.roles[caller];
        if (expected === "skip") continue;
        const fixture = await seedFixture(); // fresh per call: one role's writes never shape another's outcome
        const actual = await outcomeOf(call(fixture.t, kind, name, caller, entry.args(fixture)));
        if (!matches(expected, actual)) mismatches.push(`${name} as ${caller}: expected ${expected}, got ${actual}`);
      }
      if (entry.foreign) {
        const fixture = await seedFixture();
        const actual = await outcomeOf(call(fixture.t, kind, name, entry.foreign.as, entry.args(fixture)));
        if (!matches(entry.foreign.expect, actual))
          mismatches.push(
            `${name} as ${entry.foreign.as} (another user's ids): expected ${entry.foreign.expect}, got ${actual}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });
});

// Bad input (issue 11 item 2): every public mutation, called as a role the table allows, with one
// argument replaced by an invalid value (wrong type, negative/zero/NaN/huge/fractional cents,
// 10,000-character text, an id of the wrong table) or an unknown extra argument, must throw (a
// ConvexError with a code, or an argument validation error) and leave every table's row count as it was.
type FieldJson = { type: string; tableName?: string; value?: unknown };
type ArgsJson = { type: string; value?: Record<string, { fieldType: FieldJson; optional: boolean }> };

const LONG = "x".repeat(10_000);
const BAD_NUMBERS = [Number.NaN, -1, -0.5, 0.5, 1e15, Number.POSITIVE_INFINITY, "100", null];
/** Number arguments for which a negative or zero value is a legitimate input, not a bad one. */
const SIGNED_NUMBERS = new Set(["ops:setReserveSettings.expectedDifferenceCents"]);

function badValues(fn: string, field: string, type: FieldJson): unknown[] {
  switch (type.type) {
    case "number":
      return SIGNED_NUMBERS.has(`${fn}.${field}`)
        ? [Number.NaN, 0.5, 1e15, Number.POSITIVE_INFINITY, "100"]
        : BAD_NUMBERS;
    case "string":
      return [LONG, 42, null];
    case "id":
      return [missingId(type.tableName === "users" ? "sessions" : "users"), "", 42];
    case "boolean":
      return ["true", 1];
    default:
      return [42, "not-a-valid-value", LONG];
  }
}

function allowedCaller(r: Roles): Caller | null {
  for (const caller of ["client", "advisor", "admin"] as const)
    if (r[caller] === "allow" || r[caller] === "allow*") return caller;
  return null;
}

function isRejection(outcome: string): boolean {
  if (outcome === "allow") return false;
  if (!outcome.startsWith("ERROR:")) return true; // a ConvexError with a code
  return /validator|does not match|ArgumentValidationError|Object contains extra field|missing the required field/i.test(
    outcome,
  );
}

describe("bad input to public mutations", () => {
  it("each mutation refuses invalid arguments and writes nothing", { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    const mutations = (await publicFunctions()).filter((f) => f.kind === "mutation");
    expect(mutations.length).toBeGreaterThan(50);
    for (const { name, fn } of mutations) {
      const entry = COVERAGE[name];
      if (entry === undefined) continue; // reported by the coverage test
      const caller = allowedCaller(entry.roles);
      if (caller === null) continue;
      const fields = Object.entries((JSON.parse(fn.exportArgs!()) as ArgsJson).value ?? {});
      const mutationArb = fc.oneof(
        { arbitrary: fc.constant({ field: "unexpectedExtra", value: 1 as unknown }), weight: 1 },
        ...fields.map(([field, { fieldType }]) => ({
          arbitrary: fc.constantFrom(...badValues(name, field, fieldType)).map((value) => ({ field, value })),
          weight: 3,
        })),
      );
      await fc.assert(
        fc.asyncProperty(mutationArb, async ({ field, value }) => {
          const fixture = await seedFixture();
          const args = { ...entry.args(fixture), [field]: value };
          const before = await tableCounts(fixture.t);
          const outcome = await outcomeOf(call(fixture.t, "mutation", name, caller, args));
          const after = await tableCounts(fixture.t);
          const shown = typeof value === "string" && value.length > 20 ? `${value.length} chars` : String(value);
          if (!isRejection(outcome)) problems.push(`${name} as ${caller} with ${field}=${shown}: ${outcome}`);
          else if (JSON.stringify(after) !== JSON.stringify(before))
            problems.push(`${name} with ${field}=${shown} wrote rows`);
        }),
        { numRuns: 5, seed: 11 },
      );
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

// The suspended role (issue 20): every function, called by a suspended user of the first role the table
// lets in, is refused with SUSPENDED, a suspended admin's reads included. Exceptions: reads open to anyone
// (public profiles; the viewer's own account status, users:viewer) and the writes that only stop something.
const SUSPENDED_MAY = new Set([
  "sessions:cancel",
  "sessions:decline",
  "sessions:pause",
  "sessions:end",
  "sessions:heartbeat",
  "notifications:markRead",
  "notifications:markAllRead",
  "users:ensureViewer",
  "queue:leave",
  "follows:unfollow",
  "follows:unfollowFromNotification",
]);

describe("suspended role", () => {
  it(
    "a suspended user is refused everything but public reads, their status and stopping writes",
    { timeout: 180_000 },
    async () => {
      const mismatches: string[] = [];
      for (const { name, kind } of await publicFunctions()) {
        const entry = COVERAGE[name];
        if (entry === undefined) continue;
        const caller = (["client", "advisor", "admin"] as const).find((c) =>
          ["allow", "allow*", "skip"].includes(entry.roles[c]),
        );
        if (caller === undefined) continue;
        const fixture = await seedFixture();
        const userId = { client: fixture.clientId, advisor: fixture.advisorId, admin: fixture.adminId }[caller];
        await fixture.t.run(async (ctx) =>
          ctx.db.patch("users", userId, { status: "suspended", statusReason: "Test" }),
        );
        const actual = await outcomeOf(call(fixture.t, kind, name, caller, entry.args(fixture)));
        const open = entry.roles.anonymous === "allow" || SUSPENDED_MAY.has(name);
        if (open ? actual === "SUSPENDED" : actual !== "SUSPENDED")
          mismatches.push(`${name} as suspended ${caller}: got ${actual}`);
      }
      expect(mismatches).toEqual([]);
    },
  );
});
