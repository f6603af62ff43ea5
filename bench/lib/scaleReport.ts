/**
 * The growth curve across scale runs: per function, documents read by its largest transaction and the backend's
 * CPU time per transaction (p95) at each fraction, the growth exponent between the two largest fractions (reads ∝ size^b) and the extrapolation to fraction 1.0 (1M users, 2M sessions): reads × (1/f)^b, and
 * the time likewise with the reads' exponent.
 */
import type { ScaleResult } from "./scaleSession";
import type { ProbeRow } from "./scaleRun";

/** log-log slope of y over x between two points (0 when flat or undefined). */
function exponent(x0: number, y0: number, x1: number, y1: number): number {
  if (y0 <= 0 || y1 <= 0 || x0 === x1) return 0;
  return Math.log(y1 / y0) / Math.log(x1 / x0);
}

const fmt = (n: number) =>
  !Number.isFinite(n) ? "-" : n >= 100 ? Math.round(n).toLocaleString("en-US") : n >= 10 ? n.toFixed(0) : n.toFixed(1);

/** Markdown: one row per function (queries and crons; exports by their first words). */
export function growthTable(results: ScaleResult[]): string {
  const runs = [...results].sort((a, b) => a.fraction - b.fraction);
  if (runs.length === 0) return "";
  // The slope between the two largest fractions: the most recent growth (a capped read flattens there).
  const first = runs.at(-2) ?? runs[0]!;
  const last = runs.at(-1)!;
  const key = (r: ProbeRow) => `${r.group}|${r.name.replace(/: \d+ pages$/, "")}`;
  const head = [
    "| function | " +
      runs.map((r) => `reads @${r.fraction * 100}%`).join(" | ") +
      " | b (reads) | reads @100% (extrapolated) | " +
      runs.map((r) => `CPU p95 ms @${r.fraction * 100}%`).join(" | ") +
      " | CPU @100% (extrapolated) |",
    "| --- | " + runs.map(() => "--:").join(" | ") + " | --: | --: | " + runs.map(() => "--:").join(" | ") + " | --: |",
  ];
  const lines: string[] = [];
  for (const row of last.rows) {
    const k = key(row);
    const at = runs.map((res) => res.rows.find((r) => key(r) === k));
    const a = at.at(-2);
    const z = at.at(-1)!;
    const reads = (r: ProbeRow | undefined) =>
      r === undefined ? NaN : r.group === "export" ? r.totalReads : r.maxReads;
    const bReads = a ? exponent(first.fraction, reads(a), last.fraction, reads(z)) : 0;
    const extraReads = reads(z) * (1 / last.fraction) ** bReads;
    // Time is extrapolated with the reads' exponent (CPU per transaction of a few ms is within the ±10 ms of the
    // CPU sampling, so its own slope is noise); an export's transactions each stay one page.
    const extraCpu = z.txCpuP95Ms * (1 / last.fraction) ** (row.group === "export" ? 0 : Math.max(0, bReads));
    const name = `${row.group === "export" ? "export " : ""}${k.split("|")[1]}${row.group === "advisor page" ? " (advisor)" : row.group === "client page" ? " (client)" : ""}`;
    lines.push(
      `| ${name} | ${at.map((r) => fmt(reads(r))).join(" | ")} | ${bReads.toFixed(2)} | ${fmt(extraReads)} | ${at
        .map((r) => fmt(r?.txCpuP95Ms ?? NaN))
        .join(" | ")} | ${fmt(extraCpu)} |`,
    );
  }
  return [...head, ...lines].join("\n");
}
