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

export function earningsCsv(rows: readonly EarningCsvRow[]): string {
  return [EARNINGS_CSV_HEADER.join(","), ...rows.map(earningCsvLine)].join("\r\n") + "\r\n";
}
