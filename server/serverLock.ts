/**
 * The lock file a running server keeps in its data folder (`server.lock`: process id, host name, address,
 * start time), so that `npx variorum restore` can refuse to replace the store under it. A lock left by a
 * killed server names a process that no longer exists and is ignored.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "server.lock";

export interface LockInfo {
  pid: number;
  host: string;
  url: string;
  startedAt: string;
  /** Tells this server's lock from a later one's, so that stopping removes only its own. */
  nonce: string;
}

/** Writes the lock for a server now running; `release` removes it again (if it is still this one). */
export function holdLock(dir: string, url: string): { release(): void } {
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    url,
    startedAt: new Date().toISOString(),
    nonce: randomBytes(8).toString("hex"),
  };
  const file = join(dir, LOCK_FILE);
  writeFileSync(file, `${JSON.stringify(info)}\n`);
  return {
    release: () => {
      if (readLock(dir)?.nonce === info.nonce) rmSync(file, { force: true });
    },
  };
}

function readLock(dir: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/** The server running on this data folder, if one is: its lock exists and its process is alive. */
export function runningServer(dir: string): LockInfo | null {
  const lock = readLock(dir);
  if (!lock) return null;
  // A lock written on another machine (a shared volume) cannot be checked from here: believe it.
  if (lock.host !== hostname()) return lock;
  try {
    process.kill(lock.pid, 0);
    return lock;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still running.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? lock : null;
  }
}
