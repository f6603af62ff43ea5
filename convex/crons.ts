import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// Ledger checker: every journal balances, debits = credits, balances = sum of entries, floors hold.
// Paged: one bounded transaction per page (convex/ledgerChecker.ts). A failure raises a critical admin alert (kind "ledger_check").
crons.daily("ledger checker", { hourUTC: 3, minuteUTC: 17 }, internal.ledgerChecker.run, { trigger: "cron" });

// Advisor presence: offline after more than 2 minutes without a heartbeat from their open app.
crons.interval("advisor presence sweep", { seconds: 30 }, internal.presence.sweep, {});

// Earnings: each release is scheduled at settlement; this daily sweep releases any that were missed.
crons.daily("earnings release sweep", { hourUTC: 4, minuteUTC: 5 }, internal.earnings.releaseDueEarnings, {});

// Outbox: re-arm deliveries whose scheduled run was lost or whose worker crashed mid-attempt.
crons.interval("outbox sweep", { minutes: 1 }, internal.payouts.sweepOutbox, {});
crons.interval("email outbox sweep", { minutes: 1 }, internal.notifications.sweepEmailOutbox, {});

// Reconciliation: ledger processor_cash vs the processor's balance, the day's reserve snapshot and alerts.
crons.daily("reconciliation", { hourUTC: 3, minuteUTC: 47 }, internal.opsNode.runReconciliation, { trigger: "cron" });

// Uploads: files never attached to a profile are deleted 24 h after their upload URL was handed out.
crons.interval("unattached uploads sweep", { hours: 1 }, internal.uploads.sweepUnattachedUploads, {});
// Payout health (issue 19): alert when the 7-day transfer success rate is below 95%; release held payouts.
crons.daily("payout health", { hourUTC: 4, minuteUTC: 7 }, internal.payouts.dailyHealthCheck, {});
// Ledger rollups (issue 25): fold completed hours into day rows; backfill data posted before the rollups existed.
crons.interval("ledger rollups fold", { minutes: 5 }, internal.rollups.fold, {});
// Maintained counts (issue 25): count rows from before the counters existed (reschedules itself; cheap once done).
crons.interval("counts backfill", { minutes: 10 }, internal.counts.backfill, {});
// Credit-limit usage (issue 25): count wallets whose limit predates the maintained totals (reschedules itself).
crons.interval("credit limits backfill", { minutes: 10 }, internal.creditLimits.backfill, {});
// Margin export retention (issue 25): files deleted 7 days after they finish, stuck exports stopped after a day.
crons.interval("margin export retention", { hours: 1 }, internal.marginExports.sweepRetention, {});

export default crons;
