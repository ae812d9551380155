import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { MIGRATIONS, migrate, SCHEMA_STORE_VERSION, StoreVersionError } from "../../server/migrations.ts";
import { openSqliteStore } from "../../server/store.ts";
import { spawnServer } from "../helpers/process.ts";
import { rawPeer } from "../helpers/rawClient.ts";
import { tempDir, until } from "../helpers/server.ts";
import { loadDoc } from "../helpers/storedDoc.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const { server, add } = cleanupAfterEach();

function dir(): string {
  const d = tempDir();
  add(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const userVersion = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma("user_version", { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe("store schema migrations", () => {
  it("refuses a store written by a newer Variorum, at start, with a message saying what to do", async () => {
    const dataDir = dir();
    openSqliteStore(dataDir).close();
    const file = join(dataDir, "variorum.db");
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_STORE_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);

    const error = await spawnServer(dataDir).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      new RegExp(
        `the store .*variorum\\.db has schema version ${SCHEMA_STORE_VERSION + 1}, newer than this Variorum's ${SCHEMA_STORE_VERSION}: it was written by a newer release.*nothing was changed`,
      ),
    );
    expect(() => openSqliteStore(dataDir)).toThrow(StoreVersionError);
    expect(userVersion(file)).toBe(SCHEMA_STORE_VERSION + 1);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("migrates a store from before schema versions, keeping its text, accounts and tokens", async () => {
    const dataDir = dir();
    // A store as the first release left it: its tables, user_version 0, no access epoch, no summaries.
    const first = await server({ dataDir });
    const token = first.userToken("Old Hand", "editor");
    const peer = await rawPeer(`${first.wsUrl}/manifesto?token=${token}`);
    peer.change((doc) =>
      ((doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(
        0,
        "[from the old days] ",
      ),
    );
    await until(
      () => loadDoc(first.db, "manifesto").getXmlFragment("body").toString().includes("[from the old days]"),
      "the change to be stored",
    );
    peer.ws.close();
    await first.close();
    const file = join(dataDir, "variorum.db");
    const db = new Database(file);
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all())
      db.exec(`DROP TRIGGER ${t}`);
    db.exec("DROP TABLE access_epoch");
    db.exec("ALTER TABLE changes DROP COLUMN summary");
    db.exec("DROP TABLE seeded");
    db.exec("ALTER TABLE users DROP COLUMN display_name");
    db.exec("DROP TABLE pages");
    db.pragma("user_version = 0");
    db.close();

    const s = await server({ dataDir });
    // Version 1 is the first release's schema, idempotent: it finds its tables and changes nothing.
    expect(s.db.migrated.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(userVersion(file)).toBe(SCHEMA_STORE_VERSION);
    const again = await rawPeer(`${s.wsUrl}/manifesto?token=${token}`);
    add(() => again.ws.close());
    expect(again.doc.getXmlFragment("body").toString()).toContain("[from the old days]");
    // The migrated store moves its access epoch: revocation works on it.
    const epoch = s.db.accessEpoch();
    const user = s.db.accounts.getUserByName("Old Hand");
    s.db.accounts.setRole(user?.id ?? 0, "manifesto", null);
    expect(s.db.accessEpoch()).toBeGreaterThan(epoch);
  });

  it("runs each migration in a transaction: one that fails leaves the store at the version before", () => {
    const db = new Database(":memory:");
    const broken = [
      ...MIGRATIONS,
      {
        version: SCHEMA_STORE_VERSION + 1,
        summary: "broken",
        sql: "CREATE TABLE x (a); INSERT INTO nowhere VALUES (1);",
      },
    ];
    expect(() => migrate(db, ":memory:", broken)).toThrow(/nowhere/);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_STORE_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'x'").get()).toBeUndefined();
    db.close();
  });
});
