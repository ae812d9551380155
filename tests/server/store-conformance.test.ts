import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { ChangeSummary } from "../../schema/changeSummary.ts";
import type { AsyncStore } from "../../server/store/asyncStore.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { asyncSqlite } from "../../server/store/sqliteAdapter.ts";
import { openSqliteStore } from "../../server/store.ts";
import { startPostgres, type TestPostgres } from "../helpers/postgres.ts";
import { tempDir } from "../helpers/server.ts";

let postgres: TestPostgres;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

/** Each kind of store, fresh for each test. */
const KINDS: { name: string; open: () => Promise<{ store: AsyncStore; done: () => Promise<void> }> }[] = [
  {
    name: "SQLite",
    open: async () => {
      const dir = tempDir();
      const store = asyncSqlite(openSqliteStore(dir));
      return {
        store,
        done: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "PostgreSQL",
    open: async () => {
      const store = await openPostgresStore(await postgres.database(`conformance${++databases}`));
      return { store, done: () => store.close() };
    },
  },
];

/** A document's state after some typing, and the updates that typing made. */
function typing(words: string[]): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (const w of words) doc.getText("t").insert(doc.getText("t").length, `${w} `);
  return { updates, text: doc.getText("t").toString() };
}
const textOf = (updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText("t").toString();
};
const empty = Y.encodeStateAsUpdate(new Y.Doc());

describe.each(KINDS)("the $name store", ({ open }) => {
  const withStore = (test: (store: AsyncStore) => Promise<void>) => async () => {
    const { store, done } = await open();
    try {
      await test(store);
    } finally {
      await done();
    }
  };

  it(
    "registers editions with their text document, lists them in order of creation, and changes title and publication",
    withStore(async (store) => {
      await store.createEdition({ id: "one", title: "One" }, "one", empty);
      await new Promise((r) => setTimeout(r, 5));
      await store.createEdition({ id: "two", title: "Two" }, "two", empty);
      expect((await store.listEditions()).map((e) => e.id)).toEqual(["one", "two"]);
      expect(await store.hasDocument("one")).toBe(true);
      expect(await store.getEdition("three")).toBeNull();
      await store.setTitle("one", "The first");
      await store.setPublished("one", true);
      expect(await store.getEdition("one")).toMatchObject({ title: "The first", published: true });
      expect((await store.getEdition("two"))?.published).toBe(false);
      await expect(store.createEdition({ id: "one", title: "Again" }, "one", empty)).rejects.toThrow();
      expect((await store.getEdition("one"))?.title).toBe("The first");
    }),
  );

  it(
    "gives back the snapshot and every appended update in order, and only the later ones after a sequence number",
    withStore(async (store) => {
      await store.createEdition({ id: "e", title: "E" }, "e", empty);
      const { updates, text } = typing(["The", "titanic", "struggle", "of", "the", "proletariat"]);
      const seqs: number[] = [];
      for (const u of updates) seqs.push(await store.append("e", u, "anna"));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      const loaded = await store.load("e");
      expect(loaded.lastSeq).toBe(seqs.at(-1));
      expect(textOf(loaded.updates)).toBe(text);
      const later = await store.updatesAfter("e", seqs[2] as number);
      expect(later.map((u) => u.seq)).toEqual(seqs.slice(3));
      expect(later.map((u) => [...u.data])).toEqual(updates.slice(3).map((u) => [...u]));
      await expect(store.load("nothing")).rejects.toThrow(/no document "nothing"/);
    }),
  );

  it(
    "compacts to a snapshot, keeping updates appended after it, with the same text on load",
    withStore(async (store) => {
      await store.createEdition({ id: "e", title: "E" }, "e", empty);
      const { updates, text } = typing(["Every", "conscious", "worker", "who", "cannot", "remain"]);
      const seqs: number[] = [];
      for (const u of updates.slice(0, 4)) seqs.push(await store.append("e", u, null));
      const upTo = seqs.at(-1) as number;
      const snapshot = Y.mergeUpdates((await store.load("e")).updates);
      for (const u of updates.slice(4)) seqs.push(await store.append("e", u, null));
      await store.compact("e", snapshot, upTo);
      const loaded = await store.load("e");
      expect(loaded.updates).toHaveLength(1 + updates.length - 4);
      expect(textOf(loaded.updates)).toBe(text);
      expect(loaded.lastSeq).toBe(seqs.at(-1));
      expect((await store.updatesAfter("e", 0)).map((u) => u.seq)).toEqual(seqs.slice(4));
    }),
  );

  it(
    "records who sent each change, its size and summary, newest first",
    withStore(async (store) => {
      await store.createEdition({ id: "e", title: "E" }, "e", empty);
      const { updates } = typing(["a", "b", "c"]);
      const summary: ChangeSummary = {
        blocks: [],
        blocksAdded: 1,
        blocksRemoved: 0,
        apparatus: ["app-1"],
        glossary: [],
        decisions: [],
        comments: [],
        witnesses: [],
        meta: false,
      };
      await store.append("e", updates[0] as Uint8Array, "anna", summary);
      await store.append("e", updates[1] as Uint8Array, "boris");
      await store.append("e", updates[2] as Uint8Array, null);
      const changes = await store.changes("e", 2);
      expect(changes.map((c) => c.user)).toEqual([null, "boris"]);
      expect(changes[0]?.bytes).toBe(updates[2]?.byteLength);
      const all = await store.changes("e");
      expect(all.at(-1)?.summary).toEqual(summary);
      expect(all.at(-1)?.at).toBeGreaterThan(Date.now() - 60_000);
    }),
  );

  it(
    "deletes an edition with its documents and nothing of an edition whose id begins the same",
    withStore(async (store) => {
      for (const id of ["a", "a_b", "ab"]) {
        await store.createEdition({ id, title: id }, id, empty);
        expect(await store.createDocument(`${id}/witness/WD`, empty)).toBe(true);
        await store.append(`${id}/witness/WD`, typing(["x"]).updates[0] as Uint8Array, null);
      }
      expect(await store.createDocument("a/witness/WD", empty)).toBe(false);
      expect(await store.editionDocuments("a")).toEqual(["a", "a/witness/WD"]);
      await store.deleteEdition("a");
      expect(await store.getEdition("a")).toBeNull();
      expect(await store.hasDocument("a/witness/WD")).toBe(false);
      expect(await store.editionDocuments("a_b")).toEqual(["a_b", "a_b/witness/WD"]);
      expect(await store.editionDocuments("ab")).toEqual(["ab", "ab/witness/WD"]);
      expect((await store.load("ab/witness/WD")).updates).toHaveLength(2);
    }),
  );

  it(
    "remembers which editions were seeded, once",
    withStore(async (store) => {
      expect(await store.wasSeeded("manifesto")).toBe(false);
      await store.markSeeded("manifesto");
      await store.markSeeded("manifesto");
      expect(await store.wasSeeded("manifesto")).toBe(true);
    }),
  );

  it(
    "lets one holder at a time have a document's lock",
    withStore(async (store) => {
      let release: () => void = () => {};
      const first = store.withDocumentLock(
        "e",
        () =>
          new Promise<string>((r) => {
            release = () => r("first");
          }),
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.withDocumentLock("e", async () => "second")).toBeNull();
      expect(await store.withDocumentLock("other", async () => "other")).toBe("other");
      release();
      expect(await first).toBe("first");
      expect(await store.withDocumentLock("e", async () => "third")).toBe("third");
    }),
  );
});

describe("two servers on one PostgreSQL database", () => {
  it("migrate it once, append to one document at once with distinct rising numbers, and see each other's updates", async () => {
    const url = await postgres.database("shared");
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    try {
      expect(a.migrated.length + b.migrated.length).toBe(1);
      await a.createEdition({ id: "e", title: "E" }, "e", empty);
      const mine = typing(["one", "two", "three", "four", "five", "six", "seven", "eight"]).updates;
      const theirs = typing(["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit"]).updates;
      const seqs = await Promise.all([
        ...mine.map((u) => a.append("e", u, "anna")),
        ...theirs.map((u) => b.append("e", u, "boris")),
      ]);
      expect(new Set(seqs).size).toBe(16);
      expect(Math.max(...seqs)).toBe(16);
      const seenByA = await a.updatesAfter("e", 0);
      const seenByB = await b.updatesAfter("e", 0);
      expect(seenByA.map((u) => u.seq)).toEqual(seenByB.map((u) => u.seq));
      expect(textOf(seenByA.map((u) => u.data))).toBe(textOf([...mine, ...theirs]));
      // The lock is one for both servers.
      let release: () => void = () => {};
      const held = a.withDocumentLock("e", () => new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 50));
      expect(await b.withDocumentLock("e", async () => "b compacts")).toBeNull();
      release();
      await held;
      expect(await b.withDocumentLock("e", async () => "b compacts")).toBe("b compacts");
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
