/**
 * Backups of the store and their restoration: `npx variorum backup <file>` copies the SQLite store
 * while a server writes to it (SQLite's online backup: one consistent snapshot); `npx variorum restore
 * <file>` puts a backup in place of the store — only when no server runs on that data folder, and
 * keeping the store it replaces beside it.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { SCHEMA_STORE_VERSION, storeVersion } from "./migrations.ts";
import { runningServer } from "./serverLock.ts";
import { openSqliteStore, STORE_FILE } from "./store.ts";

export interface BackupReport {
  file: string;
  bytes: number;
  schemaVersion: number;
  editions: number;
  updates: number;
}

/** Copies the store of `dataDir` to a new file `target`, consistently, even while a server writes. */
export async function backupStore(dataDir: string, target: string): Promise<BackupReport> {
  const source = join(dataDir, STORE_FILE);
  if (!existsSync(source)) throw new Error(`no store at ${source} (set VARIORUM_DATA to its folder)`);
  if (existsSync(target))
    throw new Error(`${target} exists already: back up to a new file, nothing was written`);
  const store = openSqliteStore(dataDir);
  try {
    // The whole store in one step, so the copy is one snapshot even while another process writes.
    await store.backup(target);
  } finally {
    store.close();
  }
  return { ...inspect(target), file: target, bytes: statSync(target).size };
}

/** What a backup file holds; throws, saying why, if it is not a store this Variorum can restore. */
export function inspect(file: string): Omit<BackupReport, "file" | "bytes"> {
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`${file} cannot be opened as SQLite (${(error as Error).message})`);
  }
  try {
    let check: unknown;
    try {
      check = db.pragma("quick_check", { simple: true });
    } catch (error) {
      throw new Error(`${file} is not an SQLite database (${(error as Error).message})`);
    }
    if (check !== "ok") throw new Error(`${file} is damaged: SQLite's quick_check says ${String(check)}`);
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).map(
        String,
      ),
    );
    for (const t of ["editions", "documents", "updates", "users", "tokens"])
      if (!tables.has(t)) throw new Error(`${file} is not a Variorum store (it has no table "${t}")`);
    const schemaVersion = storeVersion(db);
    if (schemaVersion > SCHEMA_STORE_VERSION)
      throw new Error(
        `${file} has schema version ${schemaVersion}, newer than this Variorum's ${SCHEMA_STORE_VERSION}: restore it with the release that wrote it`,
      );
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    return { schemaVersion, editions: count("editions"), updates: count("updates") };
  } finally {
    db.close();
  }
}

export interface RestoreReport extends Omit<BackupReport, "file" | "bytes"> {
  /** Where the store that was replaced now is, or null if there was none. */
  previous: string | null;
}

/**
 * Replaces the store of `dataDir` with the backup `file`. Refuses while a server runs on that folder
 * (its lock file names a live process), and refuses a file that is not a store it can open; the
 * replaced store is kept as `variorum.db.before-restore-<time>`.
 */
export function restoreStore(dataDir: string, file: string, now = new Date()): RestoreReport {
  const running = runningServer(dataDir);
  if (running) {
    throw new Error(
      `a server is running on ${dataDir} (process ${running.pid} on ${running.host}, ${running.url}, since ${running.startedAt}); stop it first: replacing the store under a running server would lose what it writes — nothing was changed`,
    );
  }
  const report = inspect(file);
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, STORE_FILE);
  let previous: string | null = null;
  if (existsSync(target)) {
    // Fold the old store's write-ahead log into it, so that the file kept aside is the whole store.
    const old = new Database(target);
    old.pragma("wal_checkpoint(TRUNCATE)");
    old.close();
    previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target, previous);
  }
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  const incoming = `${target}.restoring`;
  copyFileSync(file, incoming);
  renameSync(incoming, target);
  // Opening it once runs the migrations an older backup needs, now rather than at the server's start.
  openSqliteStore(dataDir).close();
  return { ...report, previous };
}
