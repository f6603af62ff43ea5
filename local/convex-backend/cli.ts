/**
 * npx tsx local/convex-backend/cli.ts --convex-dir convex --data-dir .local-data/convex \
 *   --port 3210 --site-port 3211 [--host 127.0.0.1] [--watch] [--seed seed:seedDemo]
 *   [--raise-limits]   benchmarks only: Convex's per-function limits (limits.ts) are not enforced
 */
import { startLocalBackend } from "./index";
import { RAISED_LIMITS } from "./limits";

function parse(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq > 0) {
      out.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      out.set(a.slice(2), next);
      i++;
    } else {
      out.set(a.slice(2), true);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const str = (k: string): string | undefined => {
    const v = args.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const num = (k: string): number | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a port number`);
    return n;
  };
  if (args.has("help")) {
    console.log(
      "usage: cli.ts --convex-dir convex --data-dir .local-data/convex --port 3210 --site-port 3211 [--host 127.0.0.1] [--watch] [--seed module:fn] [--raise-limits]",
    );
    return;
  }
  const backend = await startLocalBackend({
    convexDir: str("convex-dir") ?? "convex",
    dataDir: str("data-dir") ?? ".local-data/convex",
    port: num("port"),
    sitePort: num("site-port"),
    host: str("host"),
    watch: args.has("watch"),
    seedFunction: str("seed"),
    limits: args.has("raise-limits") ? RAISED_LIMITS : undefined,
  });
  console.log(`local convex backend ready url=${backend.url} site=${backend.siteUrl}`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[convex-local] ${signal}: flushing data and stopping`);
    const force = setTimeout(() => process.exit(1), 10000);
    force.unref();
    backend.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  // A stray rejection or throw in user code (e.g. an un-awaited promise in an
  // action) must not take the whole backend down.
  process.on("unhandledRejection", (reason) => {
    console.error(`[convex-local] unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
  });
  process.on("uncaughtException", (err) => {
    console.error(`[convex-local] uncaught exception: ${err.stack ?? String(err)}`);
  });
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(`[convex-local] failed to start: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
