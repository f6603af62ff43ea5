// The single table of who may do what. Convex builders, API routes, the
// proxy and navigation all read it; nothing else decides access by role.
export const ROLES = ["client", "advisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ["active", "suspended"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

const EVERYONE: readonly Role[] = ROLES;
const ADVISORS: readonly Role[] = ["advisor"];
const ADMINS: readonly Role[] = ["admin"];
const CLIENTS_AND_ADVISORS: readonly Role[] = ["client", "advisor"];

export const PERMISSIONS = {
  // Any signed-in user.
  "self:read": EVERYONE,
  "self:update": EVERYONE,
  "wallet:read_own": EVERYONE,
  "wallet:top_up": EVERYONE,
  "sessions:read_own": EVERYONE,
  /** Act in a session as its client or advisor (pause, resume, end, chat, signal, dispute); ownership checked per session. */
  "sessions:participate": EVERYONE,
  "sessions:request": EVERYONE,
  "advisor_application:manage_own": EVERYONE,
  "favourites:manage_own": EVERYONE,
  /** Join, leave and take turns in advisors' queues; follow advisors (own rows only). */
  "queue:manage_own": EVERYONE,
  /** Ownership (or admin) is checked per document in convex/documents.ts. */
  "documents:read": EVERYONE,
  /** Own notifications only (ownership checked per document in convex/notifications.ts). */
  "notifications:read_own": EVERYONE,
  // Advisors.
  "advisor:dashboard": ADVISORS,
  "advisor:earnings": ADVISORS,
  "advisor:payouts": ADVISORS,
  "advisor:availability": ADVISORS,
  /** Accept or decline ringing session requests (ownership checked per session). */
  "sessions:answer": ADVISORS,
  /** See the own queue and set its maximum length. */
  "advisor:queue": ADVISORS,
  // Admins.
  "admin:dashboard": ADMINS,
  "admin:users": ADMINS,
  "admin:sessions": ADMINS,
  "admin:disputes": ADMINS,
  "admin:billing": ADMINS,
  "admin:ledger": ADMINS,
  "admin:advisors": ADMINS,
  // Issue 24: paid offline messages and reviews (ownership checked per document).
  "offline_messages:send": EVERYONE,
  "offline_messages:read_own": EVERYONE,
  "offline_messages:reply": ADVISORS,
  "reviews:reply": ADVISORS,
  /** Admins moderate from the reports queue instead. */
  "reviews:report": CLIENTS_AND_ADVISORS,
  "admin:offline_messages": ADMINS,
  "admin:reviews": ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isUserStatus(value: unknown): value is UserStatus {
  return typeof value === "string" && (USER_STATUSES as readonly string[]).includes(value);
}

/** Page areas guarded by role, matched by path prefix (proxy and layouts). */
export const PROTECTED_AREAS = [
  { prefix: "/admin", permission: "admin:dashboard" },
  { prefix: "/advisor-dashboard", permission: "advisor:dashboard" },
  { prefix: "/user-dashboard", permission: "self:read" },
  { prefix: "/advisor/setup", permission: "advisor_application:manage_own" },
  { prefix: "/sessions", permission: "sessions:read_own" },
  { prefix: "/session", permission: "sessions:read_own" },
  { prefix: "/notifications", permission: "notifications:read_own" },
] as const satisfies readonly { prefix: string; permission: Permission }[];

export function areaFor(pathname: string): (typeof PROTECTED_AREAS)[number] | null {
  return PROTECTED_AREAS.find((a) => pathname === a.prefix || pathname.startsWith(`${a.prefix}/`)) ?? null;
}

/** Where each role lands after sign-in (and the "go home" link on refusals). */
export const HOME_BY_ROLE: Record<Role, string> = {
  client: "/advisors",
  advisor: "/advisor-dashboard",
  admin: "/admin/dashboard",
};

export type NavItem = { href: string; label: string };

/** Role-aware header navigation. */
export const NAVIGATION: Record<Role, readonly NavItem[]> = {
  client: [
    { href: "/advisors", label: "Advisors" },
    { href: "/user-dashboard/wallet", label: "Wallet" },
    { href: "/user-dashboard/sessions", label: "Sessions" },
    { href: "/user-dashboard/messages", label: "Messages" },
  ],
  advisor: [
    { href: "/advisor-dashboard", label: "Dashboard" },
    { href: "/advisor-dashboard/earnings", label: "Earnings" },
    { href: "/advisor-dashboard/payouts", label: "Payouts" },
    { href: "/advisor/setup", label: "Profile" },
    { href: "/advisor-dashboard/messages", label: "Messages" },
    { href: "/advisor-dashboard/reviews", label: "Reviews" },
  ],
  admin: [
    { href: "/admin/dashboard", label: "Dashboard" },
    { href: "/admin/disputes", label: "Disputes" },
    { href: "/admin/sessions", label: "Sessions" },
    { href: "/admin/users", label: "Users" },
    { href: "/admin/billing", label: "Billing" },
    { href: "/admin/alerts", label: "Alerts" },
    { href: "/admin/moderation", label: "Moderation" },
  ],
};
