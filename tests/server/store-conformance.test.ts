import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type ChangeSummary, emptySummary } from "../../schema/changeSummary.ts";
import type { AsyncStore } from "../../server/store/asyncStore.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { tempDir } from "../helpers/server.ts";
import { storeKinds, withStore as withKind } from "../helpers/storeKinds.ts";

const { kinds: KINDS, postgres: running } = storeKinds();

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

describe.each(KINDS)("the $name store", (kind) => {
  const withStore = (test: (store: AsyncStore) => Promise<void>) =>
    withKind(kind, ({ store }) => test(store));

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
    "appends several updates in one step, numbered in order after the earlier ones, each with its history",
    withStore(async (store) => {
      await store.createEdition({ id: "e", title: "E" }, "e", empty);
      const { updates, text } = typing(["Every", "conscious", "worker", "who", "cannot", "remain"]);
      const first = await store.append("e", updates[0] as Uint8Array, "anna");
      const summary: ChangeSummary = { ...emptySummary(), blocksAdded: 1 };
      const many = await store.appendMany(
        "e",
        updates
          .slice(1)
          .map((update, i) => ({ update, user: i % 2 ? "boris" : "anna", summary: i ? null : summary })),
      );
      expect(many).toHaveLength(updates.length - 1);
      expect(many[0]).toBeGreaterThan(first);
      expect(many.map((s, i) => s - (many[0] as number) - i)).toEqual(many.map(() => 0));
      expect(await store.appendMany("e", [])).toEqual([]);
      const loaded = await store.load("e");
      expect(loaded.lastSeq).toBe(many.at(-1));
      expect(textOf(loaded.updates)).toBe(text);
      expect((await store.updatesAfter("e", first)).map((u) => [...u.data])).toEqual(
        updates.slice(1).map((u) => [...u]),
      );
      const changes = (await store.changes("e")).reverse();
      expect(changes.map((c) => c.user)).toEqual(["anna", "anna", "boris", "anna", "boris", "anna"]);
      expect(changes.map((c) => c.bytes)).toEqual(updates.map((u) => u.byteLength));
      expect(changes[1]?.summary).toEqual(summary);
      expect(changes[2]?.summary ?? null).toBeNull();
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
      // A copy that saw only some of the compacted updates is given the snapshot, then the rest.
      const behind = await store.updatesAfter("e", seqs[1] as number);
      expect(behind.map((u) => [u.seq, u.snapshot ?? false])).toEqual([
        [upTo, true],
        ...seqs.slice(4).map((s) => [s, false]),
      ]);
      expect(textOf([...updates.slice(0, 2), ...behind.map((u) => u.data)])).toBe(text);
      // One that saw everything the snapshot holds is given only the updates after it.
      expect((await store.updatesAfter("e", upTo)).map((u) => u.seq)).toEqual(seqs.slice(4));
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
    "keeps named versions of a document with their label, author, time and state, in order",
    withStore(async (store) => {
      await store.createEdition({ id: "e", title: "E" }, "e", empty);
      const { updates } = typing(["Workers", "of", "the", "world"]);
      const first = await store.versions.create(
        "e",
        "Before review",
        "anna",
        Y.mergeUpdates(updates.slice(0, 2)),
      );
      const second = await store.versions.create("e", "Sent to print", null, Y.mergeUpdates(updates));
      await store.versions.create("e/witness/WD", "Transcribed", "boris", empty);
      expect(first).toMatchObject({ doc: "e", label: "Before review", createdBy: "anna" });
      expect(first.createdAt).toBeGreaterThan(Date.now() - 60_000);
      expect(await store.versions.list("e")).toEqual([first, second]);
      const got = await store.versions.get("e", second.id);
      expect(got).toMatchObject(second);
      expect(textOf([got?.state as Uint8Array])).toBe("Workers of the world ");
      expect(textOf([(await store.versions.get("e", first.id))?.state as Uint8Array])).toBe("Workers of ");
      expect(await store.versions.get("e/witness/WD", first.id)).toBeNull();
      expect(await store.versions.get("e", second.id + 100)).toBeNull();
    }),
  );

  it(
    "deleting an edition forgets its memberships, invitations, pages and versions, and nothing of another",
    withStore(async (store) => {
      const anna = await store.accounts.createUser("anna", null, false);
      const api = await store.accounts.createToken({
        kind: "api",
        userId: anna.id,
        editionId: null,
        role: null,
        label: "laptop",
        expiresAt: null,
      });
      const invites: Record<string, string> = {};
      const hashes: Record<string, string> = {};
      for (const id of ["a", "ab"]) {
        await store.createEdition({ id, title: id }, id, empty);
        await store.accounts.setRole(anna.id, id, id === "a" ? "editor" : "reader");
        invites[id] = await store.accounts.createToken({
          kind: "invite",
          userId: null,
          editionId: id,
          role: "reviewer",
          label: `to ${id}`,
          expiresAt: null,
        });
        const page = await store.pages.add(
          { editionId: id, siglum: "WD", kind: "png", width: 10, height: 20, addedBy: "anna" },
          new TextEncoder().encode(`scan of ${id}`),
        );
        hashes[id] = page.hash;
        await store.versions.create(id, "first", "anna", empty);
      }
      await store.deleteEdition("a");
      expect(await store.accounts.members("a")).toEqual([]);
      expect(await store.accounts.getRole(anna.id, "a")).toBeNull();
      expect(await store.accounts.listInvites("a")).toEqual([]);
      expect(await store.accounts.findToken(invites.a as string, ["invite"])).toBeNull();
      expect(await store.pages.list("a", "WD")).toEqual([]);
      expect(await store.versions.list("a")).toEqual([]);
      // The file stays: another edition may show the same image.
      expect(new TextDecoder().decode(await store.pages.read(hashes.a as string))).toBe("scan of a");
      expect(await store.accounts.getRole(anna.id, "ab")).toBe("reader");
      expect((await store.accounts.listInvites("ab")).map((t) => t.label)).toEqual(["to ab"]);
      expect(await store.accounts.findToken(api, ["api"])).toMatchObject({ label: "laptop" });
      expect((await store.pages.list("ab", "WD")).map((p) => p.hash)).toEqual([hashes.ab]);
      expect((await store.versions.list("ab")).map((v) => v.label)).toEqual(["first"]);
      expect(await store.accounts.getUser(anna.id)).toMatchObject({ name: "anna" });
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
  it("never let a server that has seen less compact over another's newer snapshot", async () => {
    const url = await running().database("compacting");
    const mediaDir = tempDir("variorum-media-");
    const [a, b] = await Promise.all([
      openPostgresStore(url, { mediaDir }),
      openPostgresStore(url, { mediaDir }),
    ]);
    try {
      await a.createEdition({ id: "e", title: "E" }, "e", empty);
      const { updates, text } = typing(["one", "two", "three", "four", "five", "six"]);
      const seqs: number[] = [];
      for (const u of updates) seqs.push(await a.append("e", u, null));
      // A saw the first two; B saw all six and compacts first.
      const aSnapshot = Y.mergeUpdates([empty, ...updates.slice(0, 2)]);
      await b.compact("e", Y.mergeUpdates((await b.load("e")).updates), seqs.at(-1) as number);
      await a.compact("e", aSnapshot, seqs[1] as number);
      expect(textOf((await a.load("e")).updates)).toBe(text);
    } finally {
      await a.close();
      await b.close();
      rmSync(mediaDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("migrate it once, append to one document at once with distinct rising numbers, and see each other's updates", async () => {
    const url = await running().database("shared");
    const mediaDir = tempDir("variorum-media-");
    const [a, b] = await Promise.all([
      openPostgresStore(url, { mediaDir }),
      openPostgresStore(url, { mediaDir }),
    ]);
    try {
      // One of them ran every step; the other found them done.
      expect([a.migrated.length, b.migrated.length].sort()).toEqual([0, 2]);
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
      rmSync(mediaDir, { recursive: true, force: true });
    }
  }, 60_000);
});
