import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROOT_NAMES } from "../../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES } from "../../schema/schema.ts";
import { type DocumentOptions, OpenDocument } from "../../server/document.ts";
import { memoryLog } from "../../server/log.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { startPostgres, type TestPostgres } from "../helpers/postgres.ts";
import { tempDir } from "../helpers/server.ts";

const options = (): DocumentOptions => ({
  rules: { maxBytes: 1 << 20, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES },
  compactEvery: 1000,
  maxDocumentBytes: 1 << 26,
  log: memoryLog(),
});

/** An update typing `words` at the start of the first paragraph of `doc`'s state. */
function typing(doc: Y.Doc, words: string): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  ((copy.getXmlFragment("body").get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, words);
  return Y.encodeStateAsUpdate(copy, before);
}

function firstState(): Uint8Array {
  const doc = new Y.Doc();
  const p = new Y.XmlElement("paragraph");
  p.setAttribute("id", "p-1");
  doc.getXmlFragment("body").insert(0, [p]);
  p.insert(0, [new Y.XmlText("the text")]);
  return Y.encodeStateAsUpdate(doc);
}

describe("two servers compacting one document on PostgreSQL", () => {
  let postgres: TestPostgres;
  const mediaDir = tempDir("variorum-media-");
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it("a server that missed another's updates, folded into its snapshot since, takes them from the snapshot and keeps them when it compacts", async () => {
    const url = await postgres.database("folding");
    const [a, b] = await Promise.all([
      openPostgresStore(url, { mediaDir }),
      openPostgresStore(url, { mediaDir }),
    ]);
    try {
      await a.createEdition({ id: "e", title: "E" }, "e", firstState());
      const onA = await OpenDocument.open("e", a, options());
      const onB = await OpenDocument.open("e", b, options());
      const origin = (id: number) => ({ kind: "connection" as const, connectionId: id, user: null });
      // A stores an edit and compacts it away; B was never told (its relay message was lost).
      onA.applyFrom(origin(1), typing(onA.ydoc, "[from A] "));
      await onA.flushed();
      await onA.compact();
      expect((await a.updatesAfter("e", 0))[0]?.snapshot).toBe(true);
      onB.applyFrom(origin(2), typing(onB.ydoc, "[from B] "));
      await onB.flushed();
      await onB.compact();
      const stored = new Y.Doc();
      for (const u of (await b.load("e")).updates) Y.applyUpdate(stored, u);
      const text = stored.getXmlFragment("body").toString();
      expect(text).toContain("[from A]");
      expect(text).toContain("[from B]");
      expect(onB.ydoc.getXmlFragment("body").toString(), "B's copy caught up too").toContain("[from A]");
      onA.destroy();
      onB.destroy();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it("holding a document's lock on every connection of the pool leaves the store usable: compactions of many documents at once finish", async () => {
    const url = await postgres.database("locks");
    const store = await openPostgresStore(url, { mediaDir });
    try {
      const names = Array.from({ length: 16 }, (_, i) => `d${i}`);
      await store.createEdition({ id: "d", title: "D" }, "d", firstState());
      for (const n of names) await store.createDocument(n, firstState());
      const docs = await Promise.all(names.map((n) => OpenDocument.open(n, store, options())));
      await Promise.all(docs.map((d) => d.compact()));
      expect(await store.hasDocument("d15")).toBe(true);
      for (const d of docs) d.destroy();
    } finally {
      await store.close();
    }
  }, 60_000);
});
