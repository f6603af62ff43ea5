import { NextResponse } from "next/server";
import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { payoutRequestSchema } from "@/lib/schemas/payouts";

const NO_STORE = { "cache-control": "no-store" };
const FIRST_PAGE = 20;

/** The signed-in advisor's withdrawals (newest 20) and balances, limits and payout account status. */
export const GET = withApiAuth("advisor:payouts", async ({ token }) => {
  const [page, summary] = await Promise.all([
    fetchQuery(api.payouts.listMine, { paginationOpts: { numItems: FIRST_PAGE, cursor: null } }, { token }),
    fetchQuery(api.payouts.summary, {}, { token }),
  ]);
  return NextResponse.json({ payouts: page.page, summary }, { headers: NO_STORE });
});

/**
 * Withdraw from the available balance: body { amountCents } (whole cents) → 201 { payoutId, status }
 * ("queued", or "awaiting_approval" above the approval threshold). 400 for a bad body or an amount outside
 * the limits, 402 INSUFFICIENT_FUNDS above the available balance, 403 without an enabled payout account.
 */
export const POST = withApiAuth("advisor:payouts", async ({ request, token }) => {
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return jsonError("INVALID_ARGUMENT", "Send a JSON body.");
  const parsed = payoutRequestSchema.safeParse(body);
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const result = await fetchMutation(api.payouts.request, { amountCents: parsed.data.amountCents }, { token });
  return NextResponse.json(result, { status: 201, headers: NO_STORE });
});
