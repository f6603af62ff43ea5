// The scale run's dataset (bench/lib/scaleGen.ts, `npm run bench -- scale`) at a tiny fraction: the books it
// builds through the app's posting code balance (every journal nets to zero, every account's balance rows equal its
// entries), and the local backend loads the data directory it writes and runs the paged ledger checker on it under
// Convex's real limits with an exact result.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateScale, type ScaleDataset } from "../../bench/lib/scaleGen";
import { writeDataDir } from "../../bench/lib/scaleWrite";
import { startLocalBackend, type LocalBackend } from "../../local/convex-backend/index";
import { tempDir } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const dir = tempDir("scale-");
let backend: LocalBackend | null = null;

afterAll(async () => {
  await backend?.stop();
  dir.cleanup();
});

function ledgerProblems(ds: ScaleDataset): string[] {
  const problems: string[] = [];
  const perJournal = new Map<string, number>();
  const perAccount = new Map<string, { dr: number; cr: number }>();
  for (const e of ds.db.table("entries").values()) {
    const dr = e.debitCents as number;
    const cr = e.creditCents as number;
    const j = String(e.journalId);
    perJournal.set(j, (perJournal.get(j) ?? 0) + dr - cr);
    const a = perAccount.get(String(e.accountId)) ?? { dr: 0, cr: 0 };
    perAccount.set(String(e.accountId), { dr: a.dr + dr, cr: a.cr + cr });
  }
  for (const [j, net] of perJournal) if (net !== 0) problems.push(`journal ${j} nets ${net}`);
  const fromRows = new Map<string, { dr: number; cr: number }>();
  for (const b of ds.db.table("accountBalances").values()) {
    const a = fromRows.get(String(b.accountId)) ?? { dr: 0, cr: 0 };
    fromRows.set(String(b.accountId), { dr: a.dr + (b.debitsCents as number), cr: a.cr + (b.creditsCents as number) });
  }
  for (const [id, sums] of perAccount) {
    const rows = fromRows.get(id);
    if (rows?.dr !== sums.dr || rows.cr !== sums.cr)
      problems.push(`account ${id}: rows ${JSON.stringify(rows)} vs entries ${JSON.stringify(sums)}`);
  }
  return problems;
}

describe("scale dataset (bench/lib/scaleGen.ts)", () => {
  it(
    "balances at a tiny fraction and loads into the local backend; the paged checker is exact",
    { timeout: 60_000 },
    async () => {
      const ds = await generateScale(0.0001, Date.now());
      expect(ds.sizes).toMatchObject({ clients: 100, advisors: 3, sessions: 200 });
      expect(ds.db.table("journals").size).toBe(ds.expected.journals);
      expect(ledgerProblems(ds)).toEqual([]);
      expect(ds.busiestClient.count).toBeGreaterThan(1);

      const written = writeDataDir(ds.db, dir.dir);
      expect(written.documents).toBe([...ds.db.tables.values()].reduce((n, t) => n + t.size, 0));
      backend = await startLocalBackend({
        convexDir: path.join(ROOT, "convex"),
        dataDir: dir.dir,
        port: 0,
        sitePort: 0,
        log: () => {},
      });
      const result = (await backend.runFunction("ledgerChecker:run", { trigger: "internal" }, { kind: "action" })) as {
        ok: boolean;
        journalsChecked: number;
        problems: string[];
      };
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ ok: true, journalsChecked: ds.expected.journals });
    },
  );
});
