import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openSqliteStore } from "../../server/store.ts";
import { tempDir } from "../helpers/server.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh() {
  const dir = tempDir();
  dirs.push(dir);
  return { dir, store: openSqliteStore(dir) };
}

function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText("t").toString();
}

describe("the SQLite store", () => {
  it("loads the snapshot and every update appended since, in order, after reopening", () => {
    const { dir, store } = fresh();
    const doc = new Y.Doc();
    store.createEdition({ id: "e", title: "E" }, "e", Y.encodeStateAsUpdate(doc));
    doc.on("update", (u: Uint8Array) => store.append("e", u, "ann"));
    doc.getText("t").insert(0, "abc");
    doc.getText("t").insert(3, "def");
    store.close();
    const again = openSqliteStore(dir);
    const loaded = again.load("e");
    expect(replay(loaded.updates)).toBe("abcdef");
    expect(again.changes("e").map((c) => c.user)).toEqual(["ann", "ann"]);
    again.close();
  });

  it("compacts the log into one snapshot and keeps appending after it", () => {
    const { store } = fresh();
    const doc = new Y.Doc();
    store.createEdition({ id: "e", title: "E" }, "e", Y.encodeStateAsUpdate(doc));
    let seq = 0;
    doc.on("update", (u: Uint8Array) => {
      seq = store.append("e", u, null);
    });
    for (const ch of "hello") doc.getText("t").insert(doc.getText("t").length, ch);
    store.compact("e", Y.encodeStateAsUpdate(doc), seq);
    expect(store.load("e").updates).toHaveLength(1);
    doc.getText("t").insert(5, "!");
    const loaded = store.load("e");
    expect(loaded.updates).toHaveLength(2);
    expect(replay(loaded.updates)).toBe("hello!");
    expect(store.changes("e")).toHaveLength(6);
    store.close();
  });

  it("knows which editions and documents it has", () => {
    const { store } = fresh();
    expect(store.listEditions()).toEqual([]);
    store.createEdition({ id: "m", title: "M" }, "m", new Uint8Array([0, 0]));
    expect(store.listEditions().map((e) => [e.id, e.published])).toEqual([["m", false]]);
    expect(store.hasDocument("m")).toBe(true);
    expect(store.hasDocument("other")).toBe(false);
    expect(() => store.load("other")).toThrow(/no document "other"/);
    store.close();
  });
});
