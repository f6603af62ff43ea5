import { describe, expect, it } from "vitest";
import {
  NAVIGATION,
  PERMISSIONS,
  PROTECTED_AREAS,
  ROLES,
  areaFor,
  can,
  isRole,
  type Permission,
  type Role,
} from "@/lib/rolePermissions";

// The expected table, written out: a change to who may do what must change this test too.
const EXPECTED: Record<Permission, readonly Role[]> = {
  "self:read": ["client", "advisor", "admin"],
  "self:update": ["client", "advisor", "admin"],
  "wallet:read_own": ["client", "advisor", "admin"],
  "wallet:top_up": ["client", "advisor", "admin"],
  "sessions:read_own": ["client", "advisor", "admin"],
  "sessions:participate": ["client", "advisor", "admin"],
  "sessions:request": ["client", "advisor", "admin"],
  "advisor_application:manage_own": ["client", "advisor", "admin"],
  "favourites:manage_own": ["client", "advisor", "admin"],
  "queue:manage_own": ["client", "advisor", "admin"],
  "documents:read": ["client", "advisor", "admin"],
  "notifications:read_own": ["client", "advisor", "admin"],
  "advisor:dashboard": ["advisor"],
  "advisor:earnings": ["advisor"],
  "advisor:payouts": ["advisor"],
  "advisor:availability": ["advisor"],
  "sessions:answer": ["advisor"],
  "advisor:queue": ["advisor"],
  "admin:dashboard": ["admin"],
  "admin:users": ["admin"],
  "admin:sessions": ["admin"],
  "admin:disputes": ["admin"],
  "admin:billing": ["admin"],
  "admin:ledger": ["admin"],
  "admin:advisors": ["admin"],
  "offline_messages:send": ["client", "advisor", "admin"],
  "offline_messages:read_own": ["client", "advisor", "admin"],
  "offline_messages:reply": ["advisor"],
  "reviews:reply": ["advisor"],
  "reviews:report": ["client", "advisor"],
  "admin:offline_messages": ["admin"],
  "admin:reviews": ["admin"],
};

describe("PERMISSIONS", () => {
  it("lists exactly the expected permissions", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = (Object.keys(EXPECTED) as Permission[]).flatMap((permission) =>
    ROLES.map((role) => [permission, role, EXPECTED[permission].includes(role)] as const),
  );
  it.each(cases)("can(%s) for %s is %s", (permission, role, allowed) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it("gives clients no advisor or admin permission", () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      if (permission.startsWith("advisor:") || permission.startsWith("admin:")) {
        expect(can("client", permission)).toBe(false);
      }
    }
  });
});

describe("isRole", () => {
  it("accepts the three roles only", () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ["Admin", "owner", "", null, undefined, 1]) expect(isRole(value)).toBe(false);
  });
});

describe("areaFor", () => {
  it.each([
    ["/admin", "admin:dashboard"],
    ["/admin/users", "admin:dashboard"],
    ["/admin/disputes/123", "admin:dashboard"],
    ["/advisor-dashboard", "advisor:dashboard"],
    ["/advisor-dashboard/earnings", "advisor:dashboard"],
    ["/user-dashboard/wallet", "self:read"],
    ["/advisor/setup", "advisor_application:manage_own"],
    ["/sessions", "sessions:read_own"],
    ["/sessions/abc", "sessions:read_own"],
    ["/notifications", "notifications:read_own"],
  ])("guards %s with %s", (pathname, permission) => {
    expect(areaFor(pathname)?.permission).toBe(permission);
  });

  it.each(["/", "/advisors", "/advisors/xyz", "/sign-in", "/administrator", "/admins", "/sessionsx", "/advisor"])(
    "leaves %s public",
    (pathname) => {
      expect(areaFor(pathname)).toBeNull();
    },
  );

  it("has one area per prefix", () => {
    const prefixes = PROTECTED_AREAS.map((a) => a.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it("refuses a client every admin and advisor page", () => {
    for (const pathname of ["/admin/dashboard", "/admin/users", "/advisor-dashboard", "/advisor-dashboard/payouts"]) {
      const area = areaFor(pathname);
      expect(area).not.toBeNull();
      expect(can("client", area!.permission)).toBe(false);
    }
  });
});

describe("NAVIGATION", () => {
  it("matches the labels each role should see, in order", () => {
    expect(NAVIGATION.client.map((i) => i.label)).toEqual(["Advisors", "Wallet", "Sessions", "Messages"]);
    expect(NAVIGATION.advisor.map((i) => i.label)).toEqual([
      "Dashboard",
      "Earnings",
      "Payouts",
      "Profile",
      "Messages",
      "Reviews",
    ]);
    expect(NAVIGATION.admin.map((i) => i.label)).toEqual([
      "Dashboard",
      "Disputes",
      "Sessions",
      "Users",
      "Billing",
      "Alerts",
      "Moderation",
    ]);
  });

  it.each(ROLES)("never links %s to a page it may not open", (role) => {
    for (const item of NAVIGATION[role]) {
      expect(item.href.startsWith("/")).toBe(true);
      const area = areaFor(item.href);
      if (area !== null) expect(can(role, area.permission), `${role} -> ${item.href}`).toBe(true);
    }
  });

  it.each(ROLES)("has unique links for %s", (role) => {
    const hrefs = NAVIGATION[role].map((i) => i.href);
    expect(new Set(hrefs).size).toBe(hrefs.length);
  });
});
