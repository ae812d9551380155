import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createEntry, decide, readEntry } from "../../schema/apparatus.ts";
import { entryStatus } from "../../schema/decisions.ts";

const entry = (doc: Y.Doc) =>
  createEntry(doc, {
    id: "app-1",
    type: "substantive",
    source: "collation",
    by: null,
    readings: {
      WD: { kind: "om", text: "" },
      Q: { kind: "text", text: "Soviet" },
      RU: { kind: "text", text: "Советская" },
    },
  });

describe("decisions per reading", () => {
  it("derive the entry's status from its readings' statuses", () => {
    expect(entryStatus(["accepted", "rejected"])).toBe("accepted");
    expect(entryStatus(["accepted", "proposed"])).toBe("proposed");
    expect(entryStatus(["rejected", "rejected"])).toBe("rejected");
    expect(entryStatus([])).toBe("proposed");
  });

  it("read a stored document's old per-entry decision as every reading's, until a reading gets its own", () => {
    const doc = new Y.Doc();
    entry(doc);
    // The format before decisions per reading: one Y.Map per entry.
    const old = new Y.Map<unknown>();
    doc.getMap("decisions").set("app-1", old);
    old.set("status", "accepted");
    old.set("type", "lexical");
    old.set("by", "rita");
    old.set("at", 7);
    const before = readEntry(doc, "app-1");
    expect(before?.status).toBe("accepted");
    expect(before?.type).toBe("lexical");
    for (const s of ["WD", "Q", "RU"])
      expect(before?.decisions[s]).toEqual({ status: "accepted", by: "rita", at: 7 });
    decide(doc, "app-1", { status: "rejected", sigla: ["WD"] }, "sam", 9);
    const after = readEntry(doc, "app-1");
    expect(after?.decisions.WD).toEqual({ status: "rejected", by: "sam", at: 9 });
    expect(after?.decisions.Q).toEqual({ status: "accepted", by: "rita", at: 7 });
    expect(after?.status).toBe("accepted");
    expect(after?.decidedBy).toBe("sam");
  });

  it("refuse to decide a reading the entry does not have, naming both", () => {
    const doc = new Y.Doc();
    entry(doc);
    expect(() => decide(doc, "app-1", { status: "accepted", sigla: ["XYZ"] }, "rita")).toThrow(
      'apparatus entry app-1 has no reading of witness "XYZ" to decide',
    );
  });
});
