/**
 * Embedded local Convex backend: runs convex/ on the convex-test engine and
 * speaks Convex's sync (WebSocket) and HTTP protocols. Dev and test only.
 */
import type { FunctionLimits } from "./limits";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { WebSocketServer } from "ws";
import type { Value } from "convex/values";
import { Engine, type FnKind } from "./engine";
import { AuthVerifier } from "./auth";
import { acquireUncaughtRouting } from "./uncaught";
import { installConsoleCapture } from "./logLines";
import { SyncServer } from "./sync";
import { cloudHandler, siteHandler } from "./http";
import { WriteStats } from "./writeStats";

export interface LocalBackendOptions {
  convexDir: string;
  dataDir: string;
  /** default 3210, 0 = random */
  port?: number;
  /** default 3211, 0 = random */
  sitePort?: number;
  /** default 127.0.0.1 */
  host?: string;
  watch?: boolean;
  /** e.g. "seed:seedDemo": run once at every start after load (must be idempotent) */
  seedFunction?: string;
  log?: (line: string) => void;
  /**
   * A transaction stuck longer than this (wall clock, e.g. awaiting something that never settles) is abandoned
   * (its writes rolled back); default 10 000 ms. Convex's 1 s execution limit is `limits.queryMutationMs`.
   */
  functionTimeoutMs?: number;
  /**
   * Convex's per-function limits (limits.ts); default: the deployment's. Only benchmarks raise them
   * (explicitly); the app, the dev server and the tests run under the real ones.
   */
  limits?: Partial<FunctionLimits>;
  /** ModifyQuerySet answers within this time; slower queries follow (shown as loading); default 1000 ms. */
  querySetWaitMs?: number;
  /** A reload whose bundling/import takes longer is given up (previous code keeps serving); default 30 000 ms. */
  reloadTimeoutMs?: number;
}

export interface LocalBackend {
  url: string;
  siteUrl: string;
  stop(): Promise<void>;
  /** Runs public or internal functions as admin (seeding, tests). */
  runFunction(path: string, args?: object, opts?: { kind?: FnKind }): Promise<unknown>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startLocalBackend(opts: LocalBackendOptions): Promise<LocalBackend> {
  const log = opts.log ?? ((line: string) => console.log(`[convex-local] ${line}`));
  const host = opts.host ?? "127.0.0.1";
  const convexDir = path.resolve(opts.convexDir);
  const dataDir = path.resolve(opts.dataDir);
  const adminKey = process.env.LOCAL_CONVEX_ADMIN_KEY ?? null;

  let sync: SyncServer | null = null;
  const writeStats = new WriteStats();
  const engine = new Engine({
    convexDir,
    dataDir,
    log,
    onCommit: (tables, changes, previous) => {
      writeStats.record(changes);
      sync?.onCommit(tables, changes, previous);
    },
    onReload: () => sync?.onCommit("all"),
    functionTimeoutMs: opts.functionTimeoutMs,
    limits: opts.limits,
    reloadTimeoutMs: opts.reloadTimeoutMs,
  });
  const auth = new AuthVerifier(null);
  let markReady!: () => void;
  let markFailed!: (e: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => undefined);

  const deps = { engine, auth, adminKey, log, writeStats };
  const cloud = createServer(cloudHandler(deps, ready));
  const site = createServer(siteHandler(deps, ready, () => siteUrl));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
  cloud.on("upgrade", (req, socket, head) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (!/^\/api\/[^/]+\/sync$/.test(pathname)) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ready.then(
        () => sync?.handleConnection(ws),
        () => ws.close(1011, "backend failed to start"),
      );
    });
  });

  let siteUrl = "";
  let url = "";
  try {
    const port = await listen(cloud, opts.port ?? 3210, host);
    const sitePort = await listen(site, opts.sitePort ?? 3211, host);
    const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    url = `http://${shownHost}:${port}`;
    siteUrl = `http://${shownHost}:${sitePort}`;
    process.env.CONVEX_CLOUD_URL = url;
    process.env.CONVEX_SITE_URL = siteUrl;
    engine.cloudUrl = url;
    await engine.start();
    auth.setConfig(engine.authConfig);
    sync = new SyncServer(engine, auth, { adminKey, log, querySetWaitMs: opts.querySetWaitMs });
    markReady();
  } catch (e) {
    markFailed(e);
    cloud.close();
    site.close();
    throw e;
  }

  const runFunction = async (fnPath: string, args: object = {}, o: { kind?: FnKind } = {}): Promise<unknown> => {
    const { value } = await engine.run(fnPath, args as Record<string, Value>, {
      identity: null,
      allowInternal: true,
      expected: o.kind,
    });
    return value;
  };

  if (opts.seedFunction) {
    try {
      await runFunction(opts.seedFunction);
      log(`seed function ${opts.seedFunction} ran`);
    } catch (e) {
      log(`seed function ${opts.seedFunction} failed: ${(e as Error).message}`);
    }
  }

  let watcher: FSWatcher | null = null;
  if (opts.watch) {
    let timer: NodeJS.Timeout | null = null;
    let reloading: Promise<void> | null = null;
    let again = false;
    const doReload = async () => {
      if (reloading) {
        again = true;
        return;
      }
      reloading = (async () => {
        do {
          again = false;
          try {
            const ok = await engine.reload();
            if (ok) auth.setConfig(engine.authConfig);
          } catch (e) {
            log(`reload failed, still serving the previous code: ${(e as Error)?.stack ?? String(e)}`);
          }
        } while (again);
      })().finally(() => {
        reloading = null;
      });
      await reloading;
    };
    try {
      watcher = watch(convexDir, { recursive: true }, (_event, filename) => {
        if (filename && /(^|[/\\])(node_modules|\.)/.test(String(filename))) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          void doReload();
        }, 150);
      });
    } catch (e) {
      log(`watch unavailable: ${(e as Error).message}`);
    }
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    stopping = (async () => {
      watcher?.close();
      sync?.close();
      wss.close();
      await Promise.all([
        new Promise<void>((r) => cloud.close(() => r())),
        new Promise<void>((r) => site.close(() => r())),
      ]);
      cloud.closeAllConnections();
      site.closeAllConnections();
      await engine.stop();
      releaseUncaught();
    })();
    return stopping;
  };
  // Close idle keep-alive sockets promptly on stop (close() waits for them otherwise).
  const origStop = stop;
  const stopWithIdle = (): Promise<void> => {
    cloud.closeIdleConnections();
    site.closeIdleConnections();
    setTimeout(() => {
      cloud.closeAllConnections();
      site.closeAllConnections();
    }, 200).unref();
    return origStop();
  };

  const releaseUncaught = acquireUncaughtRouting();
  installConsoleCapture();
  return { url, siteUrl, stop: stopWithIdle, runFunction };
}
