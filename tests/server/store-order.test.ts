import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROOT_NAMES } from "../../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES } from "../../schema/schema.ts";
import { type DocumentOptions, OpenDocument, type Peer } from "../../server/document.ts";
import { Documents } from "../../server/documents.ts";
import { memoryLog } from "../../server/log.ts";
import { decodeMessage } from "../../server/protocol.ts";
import type { AsyncStore } from "../../server/store/asyncStore.ts";
import { asyncSqlite } from "../../server/store/sqliteAdapter.ts";
import { openSqliteStore } from "../../server/store.ts";
import { tempDir } from "../helpers/server.ts";

/**
 * A store whose appends wait until the test lets them through (as PostgreSQL across a slow network), or
 * fail (as PostgreSQL unreachable): what the document does meanwhile is what is under test.
 */
function slowStore(store: AsyncStore) {
  const waiting: { release: () => void; fail: (e: Error) => void }[] = [];
  const stored: Uint8Array[] = [];
  const slow: AsyncStore = {
    ...store,
    append: (name, update, user, summary) =>
      new Promise<void>((release, fail) => waiting.push({ release, fail })).then(async () => {
        const seq = await store.append(name, update, user, summary);
        stored.push(update);
        return seq;
      }),
    // One commit for the updates that waited together: one release lets them all through.
    appendMany: (name, updates) =>
      new Promise<void>((release, fail) => waiting.push({ release, fail })).then(async () => {
        const seqs = await store.appendMany(name, updates);
        stored.push(...updates.map((u) => u.update));
        return seqs;
      }),
  };
  return { store: slow, waiting, stored };
}

/** A peer that keeps what it was sent, and how it was closed. */
function peer(id: number) {
  const got: Uint8Array[] = [];
  let closed: { code: number; reason: string } | null = null;
  const p: Peer & { got: Uint8Array[]; closed: () => typeof closed } = {
    id,
    got,
    send: (m) => got.push(m),
    close: (code, reason) => {
      closed = { code, reason };
    },
    closed: () => closed,
  };
  return p;
}

const options = (): DocumentOptions => ({
  rules: { maxBytes: 1 << 20, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES },
  compactEvery: 1000,
  maxDocumentBytes: 1 << 26,
  log: memoryLog(),
});

/** An update typing `words` into the first paragraph of `base`'s state. */
function typing(base: Y.Doc, words: string): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(copy);
  const body = copy.getXmlFragment("body");
  if (body.length === 0) {
    const p = new Y.XmlElement("paragraph");
    p.setAttribute("id", "p-1");
    body.insert(0, [p]);
    p.insert(0, [new Y.XmlText("")]);
  }
  ((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, words);
  return Y.encodeStateAsUpdate(copy, before);
}

const updatesIn = (messages: Uint8Array[]) =>
  messages.map((m) => decodeMessage(m)).filter((d) => d.ok && d.message.type === "update").length;

const flush = () => new Promise((r) => setTimeout(r, 20));

describe("storing before sending", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const open = async () => {
    const sqlite = openSqliteStore(tempDir());
    cleanups.push(() => sqlite.close());
    await asyncSqlite(sqlite).createDocument("d", Y.encodeStateAsUpdate(new Y.Doc()));
    return slowStore(asyncSqlite(sqlite));
  };

  it("sends updates to the other peers only once the store has them, in the order they were applied, storing those that waited together in one commit", async () => {
    const slow = await open();
    const doc = await OpenDocument.open("d", slow.store, options());
    const writer = peer(1);
    const other = peer(2);
    doc.addPeer(writer);
    doc.addPeer(other);
    const origin = { kind: "connection" as const, connectionId: 1, user: "Ada" };
    expect(doc.applyFrom(origin, typing(doc.ydoc, "one "))).toMatchObject({ ok: true });
    await flush();
    expect(updatesIn(other.got), "sent before it was stored").toBe(0);
    expect(slow.waiting).toHaveLength(1);
    // Two more arrive while the first is being committed: they wait, then go in one commit.
    expect(doc.applyFrom(origin, typing(doc.ydoc, "two "))).toMatchObject({ ok: true });
    expect(doc.applyFrom(origin, typing(doc.ydoc, "three "))).toMatchObject({ ok: true });
    await flush();
    expect(slow.waiting).toHaveLength(1);
    slow.waiting.shift()?.release();
    await flush();
    expect(updatesIn(other.got)).toBe(1);
    expect(slow.stored).toHaveLength(1);
    expect(slow.waiting).toHaveLength(1);
    slow.waiting.shift()?.release();
    await flush();
    expect(updatesIn(other.got)).toBe(3);
    expect(slow.stored).toHaveLength(3);
    expect(updatesIn(writer.got), "the writer is not sent its own update").toBe(0);
    // In the order applied: each update builds on the one before, so none waits for a missing one.
    const inOrder = (updates: Uint8Array[]) => {
      const copy = new Y.Doc();
      for (const u of updates) {
        Y.applyUpdate(copy, u);
        if (copy.store.pendingStructs !== null) return "out of order";
      }
      return copy.getXmlFragment("body").toString();
    };
    const sent = other.got.flatMap((m) => {
      const d = decodeMessage(m);
      return d.ok && d.message.type === "update" ? [d.message.update] : [];
    });
    expect(inOrder(sent)).toContain("three two one");
    expect(inOrder(slow.stored)).toContain("three two one");
  });

  it("tells a change made on the server stored only once it is, behind more than one commit's worth of waiting updates", async () => {
    const slow = await open();
    const doc = await OpenDocument.open("d", slow.store, options());
    const origin = { kind: "connection" as const, connectionId: 1, user: "Ada" };
    doc.applyFrom(origin, typing(doc.ydoc, "first "));
    await flush();
    expect(slow.waiting).toHaveLength(1);
    // 600 arrive while the first commit is made: more than one commit (500 at most) of them.
    for (let i = 0; i < 600; i++) doc.applyFrom(origin, typing(doc.ydoc, `w${i} `));
    let storedWhenTold = -1;
    const told = doc
      .transact({ kind: "server", reason: "a test", user: "Ada" }, (d) =>
        d.getMap("meta").set("title", "Told"),
      )
      .then(() => {
        storedWhenTold = slow.stored.length;
      });
    for (let i = 0; i < 10 && storedWhenTold < 0; i++) {
      await flush();
      slow.waiting.shift()?.release();
    }
    await told;
    expect(storedWhenTold).toBe(602);
  });

  it("when one commit of several fails, sends on what the earlier ones stored and closes only the senders of the rest", async () => {
    const slow = await open();
    const big = { ...options(), rules: { ...options().rules, maxBytes: 8 << 20 } };
    const doc = await OpenDocument.open("d", slow.store, big);
    const [first, second, reader] = [peer(1), peer(2), peer(3)];
    for (const p of [first, second, reader]) doc.addPeer(p);
    const from = (id: number) => ({ kind: "connection" as const, connectionId: id, user: null });
    doc.applyFrom(from(1), typing(doc.ydoc, "small "));
    await flush();
    // Two updates of 3 MB wait together: too large for one commit, so two.
    expect(doc.applyFrom(from(1), typing(doc.ydoc, "a".repeat(3 << 20)))).toMatchObject({ ok: true });
    expect(doc.applyFrom(from(2), typing(doc.ydoc, "b".repeat(3 << 20)))).toMatchObject({ ok: true });
    slow.waiting.shift()?.release();
    await flush();
    slow.waiting.shift()?.release();
    await flush();
    slow.waiting.shift()?.fail(new Error("disk full"));
    await flush();
    expect(slow.stored).toHaveLength(2);
    expect(updatesIn(reader.got)).toBe(2);
    expect(first.closed()).toBeNull();
    expect(second.closed()?.code).toBe(4500);
    expect(second.closed()?.reason).toContain("disk full");
  });

  it("answers a fresh peer's sync only once what it would send is stored", async () => {
    const slow = await open();
    const doc = await OpenDocument.open("d", slow.store, options());
    doc.applyFrom({ kind: "connection", connectionId: 1, user: null }, typing(doc.ydoc, "unstored "));
    await flush();
    let answered: Uint8Array | null = null;
    void doc.diffFor(new Uint8Array([0])).then((d) => {
      answered = d.state;
    });
    await flush();
    expect(answered, "answered with an update the store does not have").toBeNull();
    slow.waiting.shift()?.release();
    await flush();
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, answered as unknown as Uint8Array);
    expect(fresh.getXmlFragment("body").toString()).toContain("unstored");
  });

  it("when the store fails: the writer is closed with 4500, nobody is sent the update, a reader stays, and the next opening is a fresh copy from the store", async () => {
    const slow = await open();
    const documents = new Documents(slow.store, { ...options(), unloadAfterMs: 60_000 });
    cleanups.push(() => void documents.closeAll());
    const doc = (await documents.get("d")) as OpenDocument;
    const writer = peer(1);
    const reader = peer(2);
    doc.addPeer(writer);
    doc.addPeer(reader);
    doc.applyFrom({ kind: "connection", connectionId: 1, user: null }, typing(doc.ydoc, "lost "));
    await flush();
    slow.waiting.shift()?.fail(new Error("connection to PostgreSQL refused"));
    await flush();
    expect(writer.closed()?.code).toBe(4500);
    expect(writer.closed()?.reason).toContain("connection to PostgreSQL refused");
    expect(reader.closed()).toBeNull();
    expect(updatesIn(reader.got)).toBe(0);
    const refused = doc.applyFrom({ kind: "connection", connectionId: 2, user: null }, typing(doc.ydoc, "x"));
    expect(refused).toMatchObject({ ok: false, storage: true });
    const again = (await documents.get("d")) as OpenDocument;
    expect(again).not.toBe(doc);
    expect(again.ydoc.getXmlFragment("body").toString()).not.toContain("lost");
    expect(reader.closed()?.code, "the reader is sent to the fresh copy").toBe(4500);
  });
});
