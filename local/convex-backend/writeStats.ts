/**
 * Counts committed document writes (insert, update or delete of one document; scheduled jobs are
 * `_scheduled_functions` rows) per table since the backend started. Read by benchmarks through
 * `GET /api/local/write_stats` with the admin key; costs one map update per written document.
 */
import { tableNameFromId, type CommitChanges } from "./internals";

export type WriteStatsSnapshot = { commits: number; writes: number; byTable: Record<string, number> };

export class WriteStats {
  private commits = 0;
  private writes = 0;
  private readonly byTable = new Map<string, number>();

  record(changes: CommitChanges): void {
    this.commits++;
    for (const id of changes.keys()) {
      const table = tableNameFromId(id) ?? "unknown";
      this.byTable.set(table, (this.byTable.get(table) ?? 0) + 1);
      this.writes++;
    }
  }

  snapshot(): WriteStatsSnapshot {
    return {
      commits: this.commits,
      writes: this.writes,
      byTable: Object.fromEntries([...this.byTable].sort(([a], [b]) => a.localeCompare(b))),
    };
  }
}
