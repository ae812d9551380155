import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { memoryLog } from "../../server/log.ts";
import { type RunningServer, startServer } from "../../server/server.ts";
import { EDITIONS } from "../helpers/paths.ts";
import { startPostgres, type TestPostgres } from "../helpers/postgres.ts";
import { closed, nodeClient, rawSocket, synced, tempDir, until } from "../helpers/server.ts";

const text = (doc: Y.Doc) => doc.getXmlFragment("body").toString();

/** Types at the start of the first paragraph, as an editor would. */
function typeAtStart(doc: Y.Doc, words: string): void {
  const first = doc.getXmlFragment("body").get(0) as Y.XmlElement;
  (first.get(0) as Y.XmlText).insert(0, words);
}

describe("the server on PostgreSQL", () => {
  let postgres: TestPostgres;
  let databaseUrl: string;
  const dataDir = tempDir();
  const start = () => startServer({ port: 0, dataDir, databaseUrl, editionsDir: EDITIONS, log: memoryLog() });
  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.database("server");
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("seeds the editions into PostgreSQL and names no SQLite file", async () => {
    const server = await start();
    try {
      expect(server.sqlite).toBeNull();
      expect((await server.store.listEditions()).map((e) => e.id)).toContain("manifesto");
      expect(server.migrated.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("keeps two clients' edits in step and in the database across a restart of the server", async () => {
    let server: RunningServer = await start();
    const { token } = await server.auth.addUserWithToken("Ada", "manifesto", "editor");
    const url = `ws://127.0.0.1:${server.port}/sync`;
    const a = nodeClient(url, "manifesto", { token });
    const b = nodeClient(url, "manifesto", { token });
    try {
      await Promise.all([synced(a.provider), synced(b.provider)]);
      typeAtStart(a.doc, "[from A] ");
      typeAtStart(b.doc, "[from B] ");
      await until(
        () => text(a.doc) === text(b.doc) && text(a.doc).includes("[from A]"),
        "A and B to converge",
      );
      expect(text(b.doc)).toContain("[from B]");
      const stored = await server.store.changes("manifesto");
      expect(stored.map((c) => c.user)).toContain("Ada");
    } finally {
      a.provider.destroy();
      b.provider.destroy();
      await server.close();
    }
    server = await start();
    const fresh = nodeClient(`ws://127.0.0.1:${server.port}/sync`, "manifesto", { token });
    try {
      await synced(fresh.provider);
      expect(text(fresh.doc)).toBe(text(a.doc));
      expect(await server.auth.claimToken()).toBeNull();
    } finally {
      fresh.provider.destroy();
      await server.close();
    }
  });

  it("closes a member's socket when the member is removed in the database", async () => {
    const server = await start();
    try {
      const { user, token } = await server.auth.addUserWithToken("Bea", "manifesto", "editor");
      const ws = await rawSocket(`ws://127.0.0.1:${server.port}/sync/manifesto?token=${token}`);
      const end = closed(ws);
      await server.store.accounts.setRole(user.id, "manifesto", null);
      const { code, reason } = await end;
      expect(code).toBe(4403);
      expect(reason).toContain("Bea is no longer a member");
    } finally {
      await server.close();
    }
  });
});
