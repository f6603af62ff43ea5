import { describe, expect, it } from "vitest";
import { ConvexError } from "convex/values";
import { ERROR_CODES, appErrorData, httpStatusFor, isErrorCode, userMessage, type ErrorCode } from "@/lib/errors";

describe("httpStatusFor", () => {
  const expected: Record<ErrorCode, number> = {
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    INVALID_ARGUMENT: 400,
    CONFLICT: 409,
    INSUFFICIENT_FUNDS: 402,
    RATE_LIMITED: 429,
    SUSPENDED: 403,
    UNAVAILABLE: 503,
    INTERNAL: 500,
    SESSION_NOT_ACTIVE: 409,
    RATE_CHANGED: 409,
    GONE: 410,
  };

  it.each(Object.entries(expected))("maps %s to %i", (code, status) => {
    expect(httpStatusFor(code as ErrorCode)).toBe(status);
  });

  it("covers every code with an HTTP error status", () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(expected).sort());
    for (const code of ERROR_CODES) {
      const status = httpStatusFor(code);
      expect(Number.isInteger(status)).toBe(true);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it("only server-side failures are 5xx", () => {
    const fiveHundreds = ERROR_CODES.filter((c) => httpStatusFor(c) >= 500);
    expect(fiveHundreds.sort()).toEqual(["INTERNAL", "UNAVAILABLE"]);
  });
});

describe("isErrorCode", () => {
  it("accepts known codes only", () => {
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    for (const value of ["forbidden", "NOPE", "", null, undefined, 403, {}, ["FORBIDDEN"]]) {
      expect(isErrorCode(value)).toBe(false);
    }
  });
});

describe("appErrorData", () => {
  it("extracts code and message from a ConvexError", () => {
    const error = new ConvexError({ code: "INSUFFICIENT_FUNDS", message: "Top up to continue." });
    expect(appErrorData(error)).toEqual({ code: "INSUFFICIENT_FUNDS", message: "Top up to continue." });
  });

  it("keeps retryAfterMs", () => {
    const error = new ConvexError({ code: "RATE_LIMITED", message: "Slow down.", retryAfterMs: 1500 });
    expect(appErrorData(error)).toEqual({ code: "RATE_LIMITED", message: "Slow down.", retryAfterMs: 1500 });
  });

  it("accepts a plain ConvexError-like object (as received by a client)", () => {
    expect(appErrorData({ data: { code: "NOT_FOUND", message: "Gone." } })).toEqual({
      code: "NOT_FOUND",
      message: "Gone.",
    });
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "FORBIDDEN"],
    ["a plain Error", new Error("boom")],
    ["a ConvexError with string data", new ConvexError("just text")],
    ["an unknown code", { data: { code: "TEAPOT", message: "short and stout" } }],
    ["a missing message", { data: { code: "FORBIDDEN" } }],
    ["a non-string message", { data: { code: "FORBIDDEN", message: 42 } }],
    ["null data", { data: null }],
  ])("returns null for %s", (_label, value) => {
    expect(appErrorData(value)).toBeNull();
  });
});

describe("userMessage", () => {
  it("shows the error's own message for app errors", () => {
    expect(userMessage(new ConvexError({ code: "FORBIDDEN", message: "You are not allowed to do that." }))).toBe(
      "You are not allowed to do that.",
    );
  });

  it("never leaks internal error text", () => {
    expect(userMessage(new Error("SELECT * FROM secrets failed"))).toBe("Something went wrong. Please try again.");
    expect(userMessage(undefined)).toBe("Something went wrong. Please try again.");
  });
});
