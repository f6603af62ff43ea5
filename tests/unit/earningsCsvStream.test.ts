import { describe, expect, it } from "vitest";
import {
  EARNINGS_CSV_HEADER,
  earningCsvLine,
  earningsCsvStream,
  type EarningCsvRow,
  type EarningsPage,
} from "@/app/api/advisor/earnings/csv";

const row = (i: number): EarningCsvRow => ({
  sessionId: `s${i}`,
  settledAt: Date.UTC(2026, 0, 1) + i * 1000,
  kind: i % 2 === 0 ? "chat" : "video",
  clientName: i === 3 ? "=HYPERLINK()" : `Client ${i}`,
  billableSeconds: 60 + i,
  grossCents: 100 + i,
  feeCents: 10,
  feeBps: 1000,
  netCents: 90 + i,
  status: "available",
});

/** Pages of `size` rows over `total` rows, with one empty page in the middle (paginate may return one). */
function source(total: number, size: number) {
  const rows = Array.from({ length: total }, (_, i) => row(i));
  const calls: string[] = [];
  const pageAt = (start: number): EarningsPage => ({
    page: rows.slice(start, start + size),
    isDone: start + size >= total,
    continueCursor: String(start + size),
  });
  const fetchPage = async (cursor: string): Promise<EarningsPage> => {
    calls.push(cursor);
    if (cursor === "empty") return { page: [], isDone: false, continueCursor: String(2 * size) };
    const start = Number(cursor);
    // After the second page comes one empty page (paginate may return one), then the third.
    if (start === size && !calls.includes("seen")) {
      calls.push("seen");
      return { ...pageAt(start), isDone: false, continueCursor: "empty", page: rows.slice(start, start + size) };
    }
    return pageAt(start);
  };
  return { rows, first: pageAt(0), fetchPage, calls };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

describe("earnings CSV stream", () => {
  it("streams every row of many pages, header first, in order, in the CSV row format", async () => {
    const { rows, first, fetchPage } = source(1_234, 100);
    const text = await readAll(earningsCsvStream(first, fetchPage));
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(EARNINGS_CSV_HEADER.join(","));
    expect(lines.slice(1, -1)).toEqual(rows.map(earningCsvLine));
    expect(lines).toHaveLength(1_234 + 2);
    expect(text).toContain(`'=HYPERLINK()`);
  });

  it("fetches the next page only when the consumer pulls", async () => {
    const { first, fetchPage, calls } = source(350, 100);
    const reader = earningsCsvStream(first, fetchPage).getReader();
    const decoder = new TextDecoder();
    const chunk1 = await reader.read();
    expect(decoder.decode(chunk1.value).split("\r\n")).toHaveLength(1 + 100 + 1);
    const fetched = calls.filter((c) => c !== "seen").length;
    expect(fetched).toBeLessThanOrEqual(1); // at most one page read ahead (the stream's high-water mark)
    let rowsRead = 100;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rowsRead += decoder.decode(value).split("\r\n").length - 1;
    }
    expect(rowsRead).toBe(350);
  });

  it("a single page (or none) closes at once with just the header and its rows", async () => {
    const empty = earningsCsvStream({ page: [], isDone: true, continueCursor: "" }, async () => {
      throw new Error("not called");
    });
    expect(await readAll(empty)).toBe(EARNINGS_CSV_HEADER.join(",") + "\r\n");
  });

  it("a failing page aborts the stream (the download fails rather than ending short)", async () => {
    const stream = earningsCsvStream({ page: [row(1)], isDone: false, continueCursor: "x" }, async () => {
      throw new Error("boom");
    });
    await expect(readAll(stream)).rejects.toThrow("boom");
  });
});
