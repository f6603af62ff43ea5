// CSV for GET /api/advisor/earnings?format=csv: exact amounts from cents, RFC 4180 quoting and
// spreadsheet formula neutralising (a cell starting with = + - @ tab or CR is prefixed with ').
import { csvCell } from "@/lib/csv";
import { centsToDecimalString, formatBps } from "@/lib/money";

export type EarningCsvRow = {
  sessionId: string;
  settledAt: number;
  kind: string;
  clientName: string;
  billableSeconds: number;
  grossCents: number;
  feeCents: number;
  feeBps: number;
  netCents: number;
  status: string;
};

export const EARNINGS_CSV_HEADER = [
  "date",
  "session_id",
  "client",
  "channel",
  "billable_seconds",
  "gross",
  "fee",
  "fee_percent",
  "net",
  "status",
] as const;

export function earningCsvLine(row: EarningCsvRow): string {
  return [
    csvCell(new Date(row.settledAt).toISOString()),
    csvCell(row.sessionId),
    csvCell(row.clientName),
    csvCell(row.kind),
    // Numbers we produce ourselves (amounts may be negative, e.g. -1.50) are not user text: no prefix.
    csvCell(row.billableSeconds, { text: false }),
    csvCell(centsToDecimalString(row.grossCents), { text: false }),
    csvCell(centsToDecimalString(row.feeCents), { text: false }),
    csvCell(formatBps(row.feeBps), { text: false }),
    csvCell(centsToDecimalString(row.netCents), { text: false }),
    csvCell(row.status),
  ].join(",");
}

export type EarningsPage = { page: readonly EarningCsvRow[]; isDone: boolean; continueCursor: string };

/**
 * The whole CSV as a stream: the header and the first page (already fetched, so errors before the response become
 * HTTP errors), then one page of `fetchPage` each time the consumer pulls. Each page is its own bounded query, and
 * nothing holds more than one page: complete at any size. A failing page aborts the stream (the download fails).
 */
export function earningsCsvStream(
  first: EarningsPage,
  fetchPage: (cursor: string) => Promise<EarningsPage>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = (rows: readonly EarningCsvRow[]) => rows.map((r) => earningCsvLine(r) + "\r\n").join("");
  let next: string | null = first.isDone ? null : first.continueCursor;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(EARNINGS_CSV_HEADER.join(",") + "\r\n" + lines(first.page)));
      if (next === null) controller.close();
    },
    async pull(controller) {
      // An empty page that is not the last (possible with paginate) must not end the pull without a chunk.
      while (next !== null) {
        const page = await fetchPage(next);
        next = page.isDone ? null : page.continueCursor;
        if (page.page.length > 0) {
          controller.enqueue(encoder.encode(lines(page.page)));
          break;
        }
      }
      if (next === null) controller.close();
    },
  });
}
