import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import { countEdition, largeEdition } from "../../bench/largeEdition.ts";
import { copyDoc, ROOTS } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";

// The benchmark's large edition (bench/largeEdition.ts) holds what it promises: its counts, read back
// from the documents themselves (no timing is asserted here).
describe("the benchmark's large edition", () => {
  const edition = largeEdition();
  const counts = countEdition(edition.doc);

  it("has about a million characters of base text in distinct blocks", () => {
    expect(counts.characters).toBeGreaterThan(950_000);
    expect(counts.characters).toBeLessThan(1_150_000);
    const body = yXmlFragmentToProseMirrorRootNode(copyDoc(edition.doc).getXmlFragment(ROOTS.body), schema);
    const ids: string[] = [];
    body.descendants((n) => {
      if (n.isTextblock && n.attrs.id) ids.push(String(n.attrs.id));
      return true;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(2000);
  });

  it("has 10,000 apparatus entries placed in the text, of every type, with per-reading statuses", () => {
    expect(counts.entries).toBe(10_000);
    expect(counts.additions).toBe(800);
    expect(counts.types).toBe(7);
    expect(counts.readings).toBeGreaterThan(20_000);
    expect(counts.readingStatuses.accepted).toBeGreaterThan(5_000);
    expect(counts.readingStatuses.rejected).toBeGreaterThan(2_000);
    expect(counts.readingStatuses.proposed).toBeGreaterThan(5_000);
  });

  it("has 5,000 glossary links to 200 entries, 1,000 footnotes and 2,000 comment threads", () => {
    expect(counts.glossaryEntries).toBe(200);
    expect(counts.glossLinks).toBe(5_000);
    expect(counts.notes).toBe(1_000);
    expect(counts.threads).toBe(2_000);
  });

  it("has two witness transcriptions of about 300k characters each", () => {
    expect(edition.witnesses.map((w) => w.siglum)).toEqual(["WD", "Q"]);
    for (const w of edition.witnesses) {
      expect(w.text.length).toBeGreaterThan(290_000);
      expect(w.text.length).toBeLessThan(320_000);
      expect(w.doc.getMap(ROOTS.meta).get("witnessOf")).toBe(edition.id);
    }
  });

  it("is the same for the same seed", () => {
    const again = largeEdition();
    // Content, not bytes: every Y.Doc has a random client id (and comments' positions carry it).
    expect(again.body.eq(edition.body)).toBe(true);
    for (const root of [ROOTS.apparatus, ROOTS.decisions, ROOTS.glossary])
      expect(JSON.stringify(again.doc.getMap(root).toJSON())).toBe(
        JSON.stringify(edition.doc.getMap(root).toJSON()),
      );
    expect(again.witnesses.map((w) => w.text)).toEqual(edition.witnesses.map((w) => w.text));
  });
});
