/**
 * The data dir's `LOCK` file (with the pid): two backends appending to one log would corrupt it, so a
 * second one fails to start; a lock left by a process that no longer runs is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export function lockDataDir(dataDir: string): void {
  const file = path.join(dataDir, "LOCK");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const pid = Number(readFileSync(file, "utf8").trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    if (alive) {
      throw new Error(
        `the data dir ${dataDir} is in use by another local backend (pid ${pid}); stop it or use another --data-dir ` +
          `(if pid ${pid} is not a local backend, delete ${file})`,
      );
    }
    rmSync(file, { force: true });
  }
  throw new Error(`could not lock the data dir ${dataDir}`);
}

export function unlockDataDir(dataDir: string): void {
  rmSync(path.join(dataDir, "LOCK"), { force: true });
}
