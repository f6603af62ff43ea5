/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type { ApiFromModules, FilterApi, FunctionReference } from "convex/server";
import type * as admin from "../admin.js";
import type * as adminAdvisors from "../adminAdvisors.js";
import type * as adminSessions from "../adminSessions.js";
import type * as adminUsers from "../adminUsers.js";
import type * as advisorApplications from "../advisorApplications.js";
import type * as advisorProfiles from "../advisorProfiles.js";
import type * as audit from "../audit.js";
import type * as chat from "../chat.js";
import type * as counts from "../counts.js";
import type * as creditLimits from "../creditLimits.js";
import type * as crons from "../crons.js";
import type * as disputes from "../disputes.js";
import type * as documents from "../documents.js";
import type * as earnings from "../earnings.js";
import type * as emailNode from "../emailNode.js";
import type * as favourites from "../favourites.js";
import type * as fees from "../fees.js";
import type * as feesNode from "../feesNode.js";
import type * as follows from "../follows.js";
import type * as functions from "../functions.js";
import type * as http from "../http.js";
import type * as ledger from "../ledger.js";
import type * as ledgerChecker from "../ledgerChecker.js";
import type * as marginExports from "../marginExports.js";
import type * as margins from "../margins.js";
import type * as model_adjustments from "../model/adjustments.js";
import type * as model_adminSessions from "../model/adminSessions.js";
import type * as model_adminStats from "../model/adminStats.js";
import type * as model_adminUsers from "../model/adminUsers.js";
import type * as model_advisorSchema from "../model/advisorSchema.js";
import type * as model_advisors from "../model/advisors.js";
import type * as model_alerts from "../model/alerts.js";
import type * as model_backgroundJobs from "../model/backgroundJobs.js";
import type * as model_chargebacks from "../model/chargebacks.js";
import type * as model_chat from "../model/chat.js";
import type * as model_controlsSchema from "../model/controlsSchema.js";
import type * as model_countSchema from "../model/countSchema.js";
import type * as model_counts from "../model/counts.js";
import type * as model_creditLimits from "../model/creditLimits.js";
import type * as model_disputeSchema from "../model/disputeSchema.js";
import type * as model_disputes from "../model/disputes.js";
import type * as model_earnings from "../model/earnings.js";
import type * as model_errors from "../model/errors.js";
import type * as model_exportRetention from "../model/exportRetention.js";
import type * as model_exportSchema from "../model/exportSchema.js";
import type * as model_fees from "../model/fees.js";
import type * as model_follows from "../model/follows.js";
import type * as model_funding from "../model/funding.js";
import type * as model_fundingSchema from "../model/fundingSchema.js";
import type * as model_ledger from "../model/ledger.js";
import type * as model_ledgerChecker from "../model/ledgerChecker.js";
import type * as model_ledgerEvents from "../model/ledgerEvents.js";
import type * as model_ledgerExplorer from "../model/ledgerExplorer.js";
import type * as model_ledgerSchema from "../model/ledgerSchema.js";
import type * as model_marginExports from "../model/marginExports.js";
import type * as model_notificationSchema from "../model/notificationSchema.js";
import type * as model_notifications from "../model/notifications.js";
import type * as model_offlineMessageSchema from "../model/offlineMessageSchema.js";
import type * as model_offlineMessages from "../model/offlineMessages.js";
import type * as model_ops from "../model/ops.js";
import type * as model_opsAlerts from "../model/opsAlerts.js";
import type * as model_opsSchema from "../model/opsSchema.js";
import type * as model_outbox from "../model/outbox.js";
import type * as model_paymentsSchema from "../model/paymentsSchema.js";
import type * as model_payoutAccounts from "../model/payoutAccounts.js";
import type * as model_payoutControls from "../model/payoutControls.js";
import type * as model_payoutProcessor from "../model/payoutProcessor.js";
import type * as model_payoutSchema from "../model/payoutSchema.js";
import type * as model_payouts from "../model/payouts.js";
import type * as model_processorEvents from "../model/processorEvents.js";
import type * as model_queue from "../model/queue.js";
import type * as model_queueSchema from "../model/queueSchema.js";
import type * as model_rateLimits from "../model/rateLimits.js";
import type * as model_receivables from "../model/receivables.js";
import type * as model_reconciliationJobs from "../model/reconciliationJobs.js";
import type * as model_requestCooldown from "../model/requestCooldown.js";
import type * as model_reviews from "../model/reviews.js";
import type * as model_riskHolds from "../model/riskHolds.js";
import type * as model_roleGrants from "../model/roleGrants.js";
import type * as model_rollupBuckets from "../model/rollupBuckets.js";
import type * as model_rollupMath from "../model/rollupMath.js";
import type * as model_rollupPack from "../model/rollupPack.js";
import type * as model_rollupSchema from "../model/rollupSchema.js";
import type * as model_rollupValidators from "../model/rollupValidators.js";
import type * as model_rollups from "../model/rollups.js";
import type * as model_sessionAccess from "../model/sessionAccess.js";
import type * as model_sessionChecks from "../model/sessionChecks.js";
import type * as model_sessionContact from "../model/sessionContact.js";
import type * as model_sessionRating from "../model/sessionRating.js";
import type * as model_sessionSchema from "../model/sessionSchema.js";
import type * as model_sessionSettlement from "../model/sessionSettlement.js";
import type * as model_sessionViews from "../model/sessionViews.js";
import type * as model_sessions from "../model/sessions.js";
import type * as model_topups from "../model/topups.js";
import type * as model_uploadSchema from "../model/uploadSchema.js";
import type * as model_uploads from "../model/uploads.js";
import type * as model_users from "../model/users.js";
import type * as model_video from "../model/video.js";
import type * as notifications from "../notifications.js";
import type * as offlineMessages from "../offlineMessages.js";
import type * as ops from "../ops.js";
import type * as opsNode from "../opsNode.js";
import type * as payoutAccounts from "../payoutAccounts.js";
import type * as payoutWorker from "../payoutWorker.js";
import type * as payouts from "../payouts.js";
import type * as platformSettings from "../platformSettings.js";
import type * as presence from "../presence.js";
import type * as queue from "../queue.js";
import type * as reviews from "../reviews.js";
import type * as riskHolds from "../riskHolds.js";
import type * as rollups from "../rollups.js";
import type * as seed from "../seed.js";
import type * as sessions from "../sessions.js";
import type * as streamChannels from "../streamChannels.js";
import type * as stripeNode from "../stripeNode.js";
import type * as topups from "../topups.js";
import type * as uploads from "../uploads.js";
import type * as users from "../users.js";
import type * as video from "../video.js";
import type * as wallet from "../wallet.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "admin": typeof admin,
"adminAdvisors": typeof adminAdvisors,
"adminSessions": typeof adminSessions,
"adminUsers": typeof adminUsers,
"advisorApplications": typeof advisorApplications,
"advisorProfiles": typeof advisorProfiles,
"audit": typeof audit,
"chat": typeof chat,
"counts": typeof counts,
"creditLimits": typeof creditLimits,
"crons": typeof crons,
"disputes": typeof disputes,
"documents": typeof documents,
"earnings": typeof earnings,
"emailNode": typeof emailNode,
"favourites": typeof favourites,
"fees": typeof fees,
"feesNode": typeof feesNode,
"follows": typeof follows,
"functions": typeof functions,
"http": typeof http,
"ledger": typeof ledger,
"ledgerChecker": typeof ledgerChecker,
"marginExports": typeof marginExports,
"margins": typeof margins,
"model/adjustments": typeof model_adjustments,
"model/adminSessions": typeof model_adminSessions,
"model/adminStats": typeof model_adminStats,
"model/adminUsers": typeof model_adminUsers,
"model/advisorSchema": typeof model_advisorSchema,
"model/advisors": typeof model_advisors,
"model/alerts": typeof model_alerts,
"model/backgroundJobs": typeof model_backgroundJobs,
"model/chargebacks": typeof model_chargebacks,
"model/chat": typeof model_chat,
"model/controlsSchema": typeof model_controlsSchema,
"model/countSchema": typeof model_countSchema,
"model/counts": typeof model_counts,
"model/creditLimits": typeof model_creditLimits,
"model/disputeSchema": typeof model_disputeSchema,
"model/disputes": typeof model_disputes,
"model/earnings": typeof model_earnings,
"model/errors": typeof model_errors,
"model/exportRetention": typeof model_exportRetention,
"model/exportSchema": typeof model_exportSchema,
"model/fees": typeof model_fees,
"model/follows": typeof model_follows,
"model/funding": typeof model_funding,
"model/fundingSchema": typeof model_fundingSchema,
"model/ledger": typeof model_ledger,
"model/ledgerChecker": typeof model_ledgerChecker,
"model/ledgerEvents": typeof model_ledgerEvents,
"model/ledgerExplorer": typeof model_ledgerExplorer,
"model/ledgerSchema": typeof model_ledgerSchema,
"model/marginExports": typeof model_marginExports,
"model/notificationSchema": typeof model_notificationSchema,
"model/notifications": typeof model_notifications,
"model/offlineMessageSchema": typeof model_offlineMessageSchema,
"model/offlineMessages": typeof model_offlineMessages,
"model/ops": typeof model_ops,
"model/opsAlerts": typeof model_opsAlerts,
"model/opsSchema": typeof model_opsSchema,
"model/outbox": typeof model_outbox,
"model/paymentsSchema": typeof model_paymentsSchema,
"model/payoutAccounts": typeof model_payoutAccounts,
"model/payoutControls": typeof model_payoutControls,
"model/payoutProcessor": typeof model_payoutProcessor,
"model/payoutSchema": typeof model_payoutSchema,
"model/payouts": typeof model_payouts,
"model/processorEvents": typeof model_processorEvents,
"model/queue": typeof model_queue,
"model/queueSchema": typeof model_queueSchema,
"model/rateLimits": typeof model_rateLimits,
"model/receivables": typeof model_receivables,
"model/reconciliationJobs": typeof model_reconciliationJobs,
"model/requestCooldown": typeof model_requestCooldown,
"model/reviews": typeof model_reviews,
"model/riskHolds": typeof model_riskHolds,
"model/roleGrants": typeof model_roleGrants,
"model/rollupBuckets": typeof model_rollupBuckets,
"model/rollupMath": typeof model_rollupMath,
"model/rollupPack": typeof model_rollupPack,
"model/rollupSchema": typeof model_rollupSchema,
"model/rollupValidators": typeof model_rollupValidators,
"model/rollups": typeof model_rollups,
"model/sessionAccess": typeof model_sessionAccess,
"model/sessionChecks": typeof model_sessionChecks,
"model/sessionContact": typeof model_sessionContact,
"model/sessionRating": typeof model_sessionRating,
"model/sessionSchema": typeof model_sessionSchema,
"model/sessionSettlement": typeof model_sessionSettlement,
"model/sessionViews": typeof model_sessionViews,
"model/sessions": typeof model_sessions,
"model/topups": typeof model_topups,
"model/uploadSchema": typeof model_uploadSchema,
"model/uploads": typeof model_uploads,
"model/users": typeof model_users,
"model/video": typeof model_video,
"notifications": typeof notifications,
"offlineMessages": typeof offlineMessages,
"ops": typeof ops,
"opsNode": typeof opsNode,
"payoutAccounts": typeof payoutAccounts,
"payoutWorker": typeof payoutWorker,
"payouts": typeof payouts,
"platformSettings": typeof platformSettings,
"presence": typeof presence,
"queue": typeof queue,
"reviews": typeof reviews,
"riskHolds": typeof riskHolds,
"rollups": typeof rollups,
"seed": typeof seed,
"sessions": typeof sessions,
"streamChannels": typeof streamChannels,
"stripeNode": typeof stripeNode,
"topups": typeof topups,
"uploads": typeof uploads,
"users": typeof users,
"video": typeof video,
"wallet": typeof wallet,
}>;
export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;

export declare const components: {
  "rateLimiter": import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
};
