/**
 * What the scale run calls: every admin page query, the pages of the busiest client and advisor, the crons and
 * the exports, each with the arguments its page sends (first page, the app's page sizes). `who` is the caller:
 * the admin, the busiest client or advisor (JWT), or the admin key (internal cron functions).
 */
export type Who = "admin" | "client" | "advisor" | "key";
export type Probe = {
  group: "admin page" | "client page" | "advisor page" | "public page" | "cron" | "export";
  who: Who;
  kind: "query" | "mutation" | "action";
  fn: string;
  args: Record<string, unknown>;
  label?: string;
};

export type ProbeContext = {
  today: string;
  monthAgo: string;
  quarterAgo: string;
  sessionId: string;
  journalId: string;
  clientId: string;
  clientEmail: string;
  walletAccountId: string;
};

const page = (numItems: number) => ({ paginationOpts: { numItems, cursor: null } });

export function probes(c: ProbeContext): Probe[] {
  const q = (
    group: Probe["group"],
    who: Who,
    fn: string,
    args: Record<string, unknown> = {},
    label?: string,
  ): Probe => ({
    group,
    who,
    kind: "query",
    fn,
    args,
    label,
  });
  const admin = (fn: string, args?: Record<string, unknown>, label?: string) =>
    q("admin page", "admin", fn, args, label);
  const client = (fn: string, args?: Record<string, unknown>) => q("client page", "client", fn, args);
  const advisor = (fn: string, args?: Record<string, unknown>) => q("advisor page", "advisor", fn, args);
  const cron = (fn: string, kind: Probe["kind"], args: Record<string, unknown> = {}): Probe => ({
    group: "cron",
    who: "key",
    kind,
    fn,
    args,
  });
  return [
    admin("admin:overview"),
    admin("admin:dashboard", { today: c.today }),
    admin("adminAdvisors:statusCounts"),
    admin("adminAdvisors:listByStatus", { status: "approved", ...page(25) }),
    admin("adminAdvisors:listFeeChanges", page(25)),
    admin("adminAdvisors:listRateChanges", page(25)),
    admin("adminSessions:live"),
    admin("adminSessions:history", page(50)),
    admin("adminSessions:history", { ...page(50), participantEmail: c.clientEmail }, "adminSessions:history (client)"),
    admin("adminSessions:get", { sessionId: c.sessionId }),
    admin("adminUsers:list", page(25)),
    admin("adminUsers:list", { role: "client", status: "active", ...page(25) }, "adminUsers:list (clients)"),
    admin("adminUsers:search", { text: "Client 12" }),
    admin("adminUsers:detail", { userId: c.clientId }),
    admin("adminUsers:creditLimits", page(25)),
    admin("adminUsers:creditLimitTotals"),
    admin("adminUsers:pendingAdminGrants"),
    admin("audit:actors"),
    admin("audit:list", page(50)),
    admin("disputes:adminList", page(25)),
    admin("disputes:listAdjustments", page(25)),
    admin("disputes:listReceivables", page(25)),
    admin("ledger:health"),
    admin("ledger:listAccounts", { kind: "client_wallet", ...page(50) }),
    admin("ledger:listJournals", page(50)),
    admin("ledger:listJournals", { accountId: c.walletAccountId, ...page(50) }, "ledger:listJournals (wallet)"),
    admin("ledger:getJournal", { journalId: c.journalId }),
    admin("margins:report", { from: c.monthAgo, to: c.today }, "margins:report (30 d)"),
    admin("margins:report", { from: c.quarterAgo, to: c.today }, "margins:report (90 d)"),
    admin("margins:advisorPage", { from: c.monthAgo, to: c.today, ...page(50) }),
    admin("offlineMessages:adminList", page(25)),
    admin("payouts:adminList", page(25)),
    admin("payouts:health"),
    admin("reviews:adminReports", page(25)),
    admin("ops:billingStatus"),
    admin("ops:listAlerts", { status: "open", ...page(25) }),
    admin("ops:reconciliationHistory"),
    admin("ops:reserveOverview"),
    admin("topups:adminClientWallet", { userId: c.clientId }),
    admin("platformSettings:get"),
    q("public page", "client", "advisorProfiles:browse", page(24)),
    q("public page", "client", "advisorProfiles:listApproved"),
    client("users:viewer"),
    client("wallet:getMyWallet"),
    client("wallet:listMyHistory", page(25)),
    client("sessions:listMine", page(20)),
    client("sessions:current"),
    client("topups:listMine"),
    client("notifications:list"),
    client("notifications:unreadCount"),
    client("favourites:listMine"),
    client("offlineMessages:listMine", page(20)),
    advisor("users:viewer"),
    advisor("earnings:summary"),
    advisor("earnings:list", page(25)),
    advisor("sessions:listAsAdvisor", page(20)),
    advisor("sessions:incoming"),
    advisor("payouts:summary"),
    advisor("payouts:listMine", page(25)),
    advisor("queue:forAdvisor"),
    advisor("presence:mine"),
    advisor("advisorApplications:myProfile"),
    advisor("disputes:forAdvisor"),
    advisor("disputes:myReceivables"),
    advisor("offlineMessages:listForAdvisor", page(20)),
    advisor("payoutAccounts:mine"),
    advisor("reviews:listMine", page(20)),
    cron("ledgerChecker:run", "action", { trigger: "manual" }),
    cron("presence:sweep", "mutation"),
    cron("earnings:releaseDueEarnings", "mutation"),
    cron("payouts:sweepOutbox", "mutation"),
    cron("notifications:sweepEmailOutbox", "mutation"),
    cron("uploads:sweepUnattachedUploads", "mutation"),
    cron("payouts:dailyHealthCheck", "mutation"),
    cron("rollups:fold", "mutation"),
  ];
}

/**
 * Exports: every page of a paginated query, as the CSV routes walk them (app/api/admin/**). The margin CSV is the
 * background export, run end to end by scaleJobs.ts.
 */
export function exports(): { label: string; fn: string; args: Record<string, unknown>; numItems: number }[] {
  return [
    { label: "sessions API (history, every page)", fn: "adminSessions:history", args: {}, numItems: 100 },
    { label: "disputes API (adminList, every page)", fn: "disputes:adminList", args: {}, numItems: 50 },
  ];
}
