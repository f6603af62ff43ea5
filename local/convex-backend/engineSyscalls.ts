/**
 * The syscalls of a loaded instance, wrapped: every database, storage and scheduler call of the app's
 * functions passes here. Adds what a deployment does and convex-test does not (read tracking for
 * subscriptions, Convex's limits, staged-index and system-table checks, storage URLs and uploads, the
 * real-time scheduler) and takes the short paths of pointReads.ts / queryCollect.ts.
 */
import { assertNotAbandoned, currentCall, currentComponentPath, type EngineInstance } from "./internals";
import { checkStagedIndex, checkSyscall, conformStorageSyscall, isStorageSyscall } from "./syscalls";
import { pointReadAsync, pointReadSync } from "./pointReads";
import { COLLECT_OP } from "./queryCollect";
import { countSyscall } from "./limits";
import { trackRead } from "./readset";
import { nestedSyscallError } from "./errors";

/** Database syscalls of the app counted against Convex's limits (reads through the store count there). */
const COUNTED_OPS = new Set(["1.0/get", "1.0/insert", "1.0/shallowMerge", "1.0/replace", "1.0/remove"]);

/** What the wrapped syscalls need from the engine. */
export interface SyscallHost {
  /** indexes declared `staged: true` in this instance's schema */
  staged: Set<string> | undefined;
  /** the file URL of a stored file */
  fileUrl(storageId: string): string;
  uploadUrl(): string;
  /** `ctx.scheduler.runAfter/runAt`: the new job's id as JSON */
  schedule(json: string): string;
  storeFile(bytes: Uint8Array, contentType: string | null): Promise<string>;
  getFile(storageId: string): Promise<{ bytes: Buffer; contentType: string | null } | null>;
}

export function installSyscalls(inst: EngineInstance, host: SyscallHost): void {
  const g = inst.global;
  const origSync = g.syscall;
  const origAsync = g.asyncSyscall;
  const origJs = g.jsSyscall;
  const staged = host.staged;
  g.syscall = (op, json) => {
    assertNotAbandoned();
    const componentPath = currentComponentPath(inst);
    // COLLECT_OP (queryCollect.ts) is a whole queryStream; components keep the Convex runtime's own path.
    const streamOp = op === COLLECT_OP ? "1.0/queryStream" : op;
    if (op === COLLECT_OP && componentPath !== "") return "null";
    if (staged !== undefined && staged.size > 0 && componentPath === "") checkStagedIndex(streamOp, json, staged);
    const reads = currentCall()?.reads;
    if (reads) trackRead(reads, streamOp, json, componentPath);
    if (componentPath === "") {
      const fast = pointReadSync(inst, op, json);
      if (fast !== null) return fast;
    }
    return origSync(op, json);
  };
  /** ctx.runQuery/runMutation from a query or mutation (or into a component): the callee's error as a deployment rethrows it. */
  const runUdf = async (json: string): Promise<string> => {
    try {
      return await origAsync("1.0/runUdf", json);
    } catch (e) {
      // The backend's own `t.run` helpers (udfPath "custom", e.g. runQueryAt) are not function code: errors stay as thrown.
      if ((inst.executionContext.getStore() as { udfPath?: string } | undefined)?.udfPath === "custom") throw e;
      throw nestedSyscallError(e);
    }
  };
  g.asyncSyscall = async (op, json) => {
    assertNotAbandoned();
    const reads = currentCall()?.reads;
    const componentPath = currentComponentPath(inst);
    if (reads) trackRead(reads, op, json, componentPath);
    if (op === "1.0/runUdf") return runUdf(json);
    if (componentPath !== "") {
      // Inside a component: its own database (convex-test's), no scheduling (jobs are root documents).
      if (op === "1.0/schedule")
        throw new Error(`The local backend does not support scheduling from a component ("${componentPath}")`);
      return origAsync(op, json);
    }
    checkSyscall(op, json, staged);
    const usage = inst.usage;
    if (usage !== null && COUNTED_OPS.has(op)) {
      const result = pointReadAsync(inst, op, json) ?? (await origAsync(op, json));
      countSyscall(usage, inst.db, op, json, result);
      return result;
    }
    const fast = pointReadAsync(inst, op, json);
    if (fast !== null) return fast;
    if (isStorageSyscall(op)) {
      const conformed = await conformStorageSyscall(op, json, origAsync);
      if (conformed !== null) return conformed;
    }
    switch (op) {
      case "1.0/count": {
        const { table } = JSON.parse(json) as { table: string };
        return JSON.stringify(inst.store.count(table));
      }
      case "1.0/storageGetUrl": {
        const res = JSON.parse(await origAsync(op, json)) as unknown;
        if (res === null) return "null";
        const { storageId } = JSON.parse(json) as { storageId: string };
        return JSON.stringify(host.fileUrl(storageId));
      }
      case "1.0/storageGenerateUploadUrl":
        return JSON.stringify(host.uploadUrl());
      case "1.0/schedule":
        return host.schedule(json);
      default:
        return origAsync(op, json);
    }
  };
  g.jsSyscall = async (op, args) => {
    assertNotAbandoned();
    switch (op) {
      case "storage/storeBlob": {
        const blob = args.blob as Blob;
        return host.storeFile(new Uint8Array(await blob.arrayBuffer()), blob.type || null);
      }
      case "storage/getBlob": {
        const file = await host.getFile(args.storageId as string);
        if (!file) return null;
        return new Blob([new Uint8Array(file.bytes)], file.contentType ? { type: file.contentType } : {});
      }
      default:
        return origJs(op, args);
    }
  };
}
