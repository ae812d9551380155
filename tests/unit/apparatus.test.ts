import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  createEntry,
  decide,
  detachedEntries,
  formatEntry,
  placements,
  readEntry,
  readingText,
  setReading,
} from "../../schema/apparatus.ts";
import { b } from "../helpers/builders.ts";

/** Two replicas that exchange updates only when told to, as two people working at once. */
function pair() {
  const a = new Y.Doc();
  const c = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a, Y.encodeStateVector(c)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(c, Y.encodeStateVector(a)));
  };
  return { a, c, sync };
}

describe("apparatus entries", () => {
  it("keep both people's work when two edit two different readings of the same entry at once", () => {
    const { a, c, sync } = pair();
    createEntry(a, { id: "app-1", type: "substantive", source: "editor", by: "ann", readings: {} });
    sync();
    setReading(a, "app-1", "WD", { kind: "text", text: "Russian" });
    setReading(c, "app-1", "Q", { kind: "om", text: "" });
    sync();
    for (const doc of [a, c]) {
      expect(readEntry(doc, "app-1")?.readings).toEqual({
        WD: { kind: "text", text: "Russian" },
        Q: { kind: "om", text: "" },
      });
    }
  });

  it("merge two people typing into the same reading at once", () => {
    const { a, c, sync } = pair();
    createEntry(a, {
      id: "app-1",
      type: "lexical",
      source: "editor",
      by: null,
      readings: { WD: { kind: "text", text: "Soviet" } },
    });
    sync();
    readingText(a, "app-1", "WD")?.insert(0, "the ");
    readingText(c, "app-1", "WD")?.insert(6, " power");
    sync();
    expect(readEntry(a, "app-1")?.readings.WD?.text).toBe("the Soviet power");
    expect(readEntry(c, "app-1")?.readings.WD?.text).toBe("the Soviet power");
  });

  it("record who decided and when, and read proposed until someone decides", () => {
    const doc = new Y.Doc();
    createEntry(doc, {
      id: "app-1",
      type: "lexical",
      source: "collation",
      by: null,
      readings: { WD: { kind: "text", text: "Russian" } },
    });
    expect(readEntry(doc, "app-1")).toMatchObject({ status: "proposed", decidedBy: null });
    decide(doc, "app-1", { status: "accepted", type: "orthographic" }, "rita", 42);
    expect(readEntry(doc, "app-1")).toMatchObject({
      status: "accepted",
      type: "orthographic",
      decidedBy: "rita",
      decidedAt: 42,
    });
  });

  it("print like a printed apparatus, grouping witnesses that agree", () => {
    const entry = {
      id: "app-1",
      type: "substantive" as const,
      status: "accepted" as const,
      note: "",
      source: "editor",
      decidedBy: null,
      decidedAt: null,
      decisions: {},
      recordedLemma: "",
      readings: {
        WD: { kind: "text" as const, text: "Russian" },
        Q: { kind: "om" as const, text: "" },
        RU: { kind: "text" as const, text: "Russian" },
      },
    };
    expect(formatEntry("Soviet", entry)).toBe("Soviet] Russian RU WD; om. Q");
    expect(formatEntry("", { ...entry, readings: { WD: { kind: "text", text: "comrades" } } })).toBe(
      "^ add. comrades WD",
    );
  });

  it("are found in document order, and an entry whose lemma was deleted is detached, not moved", () => {
    const doc = b.doc(
      b.p({ id: "p1" }, "One ", b.lemma({ app: "app-2" }, "two"), " three", b.anchor({ app: "app-3" })),
      b.p({ id: "p2" }, b.lemma({ app: "app-1" }, "four")),
    );
    expect(placements(doc).map((p) => [p.id, p.lemma, p.blockId])).toEqual([
      ["app-2", "two", "p1"],
      ["app-3", "", "p1"],
      ["app-1", "four", "p2"],
    ]);
    const ydoc = new Y.Doc();
    for (const id of ["app-1", "app-2", "app-3", "app-4"])
      createEntry(ydoc, { id, type: "substantive", source: "editor", by: null, readings: {} });
    expect(detachedEntries(ydoc, doc)).toEqual(["app-4"]);
  });
});
