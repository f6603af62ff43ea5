// Wallet history titles name the advisor, the channel and the day; never an id.
import { describe, expect, it } from "vitest";
import { shortDay, shortName, walletLineTitle } from "../../lib/ledger/history";

const DEC_2_2300_UTC = Date.UTC(2026, 11, 2, 23, 0);
const luna = { kind: "chat" as const, advisorName: "Luna Orlova", billableSeconds: 41, at: DEC_2_2300_UTC };

describe("walletLineTitle", () => {
  it("a dispute refund names the chat, the advisor and the day", () => {
    expect(walletLineTitle("session_refunded", { session: luna, disputed: true })).toBe(
      "Refund — dispute on your chat with Luna O., 2 Dec",
    );
    expect(walletLineTitle("session_refunded", { session: { ...luna, kind: "video" }, disputed: true })).toBe(
      "Refund — dispute on your video call with Luna O., 2 Dec",
    );
  });

  it("the day is the viewer's: 23:00 UTC is already 3 Dec in Berlin, still 2 Dec in New York", () => {
    expect(walletLineTitle("session_refunded", { session: luna, disputed: true, tzOffsetMinutes: 60 })).toBe(
      "Refund — dispute on your chat with Luna O., 3 Dec",
    );
    expect(walletLineTitle("session_refunded", { session: luna, disputed: true, tzOffsetMinutes: -300 })).toBe(
      "Refund — dispute on your chat with Luna O., 2 Dec",
    );
  });

  it("never depends on the id format", () => {
    for (const title of [
      walletLineTitle("session_refunded", { session: luna, disputed: true }),
      walletLineTitle("session_refunded", { session: null, disputed: true }),
      walletLineTitle("session_refunded", { session: luna }),
    ]) {
      expect(title).not.toMatch(/#|sputes\b/);
    }
    expect(walletLineTitle("session_refunded", { session: null, disputed: true })).toBe("Refund — dispute");
  });

  it("other lines", () => {
    expect(walletLineTitle("top_up")).toBe("Top-up");
    expect(walletLineTitle("session_settled", { session: { ...luna, billableSeconds: 750 } })).toBe(
      "Chat with Luna O. — 12 min 30 s",
    );
    expect(walletLineTitle("session_settled", { session: { ...luna, kind: "video", billableSeconds: null } })).toBe(
      "Video call with Luna O.",
    );
    expect(walletLineTitle("session_refunded", { session: luna })).toBe("Refund — chat with Luna O., 2 Dec");
    expect(walletLineTitle("session_refunded")).toBe("Refund");
    expect(walletLineTitle("chargeback_opened")).toBe("Card chargeback");
  });

  it("short names and days", () => {
    expect(shortName("Maya Rodriguez")).toBe("Maya R.");
    expect(shortName("Cher")).toBe("Cher");
    expect(shortDay(Date.UTC(2026, 0, 1, 0, 30), -60)).toBe("31 Dec");
  });
});
