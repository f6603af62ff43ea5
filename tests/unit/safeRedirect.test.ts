import { describe, expect, it } from "vitest";
import { safeRedirect, safeRedirectPath } from "@/lib/safeRedirect";

describe("safeRedirectPath", () => {
  it.each([
    "/\\evil.example",
    "/\\\\evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
  ])("refuses %j", (target) => {
    const path = safeRedirectPath(target);
    // Either refused outright, or (for an encoded tab, which stays in the path) a same-origin path.
    if (path !== null) {
      expect(path.startsWith("/")).toBe(true);
      expect(path.startsWith("//")).toBe(false);
      expect(new URL(path, "https://app.example").origin).toBe("https://app.example");
    }
    expect(safeRedirect(target, "/home")).not.toMatch(/^(\/\/|\/\\|[a-z]+:)/i);
  });

  it("keeps `/%09/evil` a same-origin path (the encoded tab is not decoded by the browser)", () => {
    expect(safeRedirectPath("/%09/evil")).toBe("/%09/evil");
    expect(new URL(safeRedirectPath("/%09/evil")!, "https://app.example").host).toBe("app.example");
  });

  it("refuses the cases from the issue", () => {
    for (const target of ["/\\evil", "//evil", "https://evil", "javascript:alert(1)", "/\t/evil"]) {
      expect(safeRedirectPath(target), target).toBeNull();
    }
  });

  it("keeps same-origin paths with their query and hash", () => {
    expect(safeRedirectPath("/advisor-dashboard/payouts?tab=1#x")).toBe("/advisor-dashboard/payouts?tab=1#x");
    expect(safeRedirectPath("/")).toBe("/");
    expect(safeRedirect(null, "/wallet")).toBe("/wallet");
    expect(safeRedirect("//evil", "/wallet")).toBe("/wallet");
  });
});
