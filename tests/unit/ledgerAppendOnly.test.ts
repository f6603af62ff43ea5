// Journals and entries are append-only: no function in convex/ patches, replaces or deletes them.
// (Corrections are reversal journals.) A static check over the source, so it covers future modules too.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const CONVEX_DIR = path.resolve(__dirname, "../../convex");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|js)$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe("ledger is append-only", () => {
  it("no convex module patches, replaces or deletes journals or entries", () => {
    const offenders: string[] = [];
    const mutate =
      /\.(patch|replace|delete)\(\s*(["'`](journals|entries)["'`]|[^,)"'`]*(journal|entry|entries)[^,)]*[,)])/gi;
    for (const file of sourceFiles(CONVEX_DIR)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(mutate)) offenders.push(`${path.relative(CONVEX_DIR, file)}: ${match[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("the check itself catches the forms it is meant to catch", () => {
    const mutate =
      /\.(patch|replace|delete)\(\s*(["'`](journals|entries)["'`]|[^,)"'`]*(journal|entry|entries)[^,)]*[,)])/gi;
    for (const bad of [
      'ctx.db.patch("journals", id, {})',
      "ctx.db.delete(entry._id)",
      'ctx.db.replace("entries", id, doc)',
      "ctx.db.delete(journalId)",
    ]) {
      expect(bad.match(mutate), bad).not.toBeNull();
    }
    expect('ctx.db.patch("accountBalances", row._id, {})'.match(mutate)).toBeNull();
    expect('ctx.db.patch("queueEntries", row._id, {})'.match(mutate)).toBeNull(); // a table name is matched exactly
  });
});
