import { describe, expect, it } from "vitest";
import {
  collateAll,
  collatexJson,
  teiAlignmentDocument,
  teiParallelSegmentation,
} from "../../schema/collate.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { syntheticWitness } from "../helpers/synthetic.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

// "He was agast, so" / "He was agast" / "So he was agast" is quoted from CollateX's public test suite
// (github.com/interedition/collatex, collatex-core/src/test/java/eu/interedition/collatex/dekker/
// TranspositionRenderingTest.java, transposition2), its words unaltered.

const words = (t: string) => t.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];

describe("all witnesses at once", () => {
  it("aligns three witnesses in one table whatever their order, each witness's words all there in order", () => {
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const base = icc.text.split("\n\n").slice(0, 6).join("\n\n");
    const ws = {
      A: syntheticWitness(base, 1, 12).witness,
      B: syntheticWitness(base, 2, 12).witness,
      C: syntheticWitness(base, 3, 12).witness,
    };
    const t = collateAll("ICC", base, ws);
    const reordered = collateAll("ICC", base, { C: ws.C, A: ws.A, B: ws.B });
    expect(reordered).toEqual(t);
    expect(t.sigla).toEqual(["ICC", "A", "B", "C"]);
    // The text is sacred: each row, read across, is the witness's text, every word in its order.
    for (const s of t.sigla) {
      const row = t.columns.map((c) => c.cells[s]?.text ?? "").join(" ");
      expect(words(row)).toEqual(words(s === "ICC" ? base : ((ws as Record<string, string>)[s] as string)));
    }
    expect(t.columns.filter((c) => c.variant).length).toBeGreaterThan(20);
    // Its TEI parallel segmentation is valid TEI P5, every witness it names declared.
    const xml = teiAlignmentDocument(t, "The Manifesto, three synthetic witnesses");
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
  });

  it("gives CollateX's three witnesses one column for the start ('So he') and one where two lack ', so'", () => {
    const t = collateAll("A", "He was agast, so", { B: "He was agast", C: "So he was agast" });
    const variant = t.columns
      .filter((c) => c.variant)
      .map((c) => [c.cells.A?.text, c.cells.B?.text, c.cells.C?.text]);
    // "So" added at the start joins the variant of "He" beside it: one variation point.
    expect(variant).toEqual([
      ["He", "He", "So he"],
      [", so", "", ""],
    ]);
    const json = collatexJson(t);
    expect(json.witnesses).toEqual(["A", "B", "C"]);
    expect(json.table.map((row) => row.length)).toEqual([
      t.columns.length,
      t.columns.length,
      t.columns.length,
    ]);
    expect(json.table[2]?.[0]).toEqual([
      { t: "So ", n: "so" },
      { t: "he", n: "he" },
    ]);
    const tei = teiParallelSegmentation(t);
    expect(tei).toContain('<app><lem wit="#A #B">He</lem><rdg wit="#C">So he</rdg></app>');
    expect(tei).toContain('<app><lem wit="#A">, so</lem><rdg wit="#B #C"/></app>');
  });

  it("puts two witnesses' readings at one place in one column, and so in one app", () => {
    const base = "Every conscious worker has certainly reflected on the destiny of our revolution.";
    const t = collateAll("ICC", base, {
      A: base.replace("conscious", "thinking"),
      B: base.replace("conscious worker", "class-conscious proletarian"),
    });
    const variant = t.columns.filter((c) => c.variant);
    expect(variant.map((c) => [c.base.text, c.cells.A?.text, c.cells.B?.text])).toEqual([
      ["conscious worker", "thinking worker", "class-conscious proletarian"],
    ]);
    expect(teiParallelSegmentation(t)).toContain(
      '<app><lem wit="#ICC">conscious worker</lem><rdg wit="#A">thinking worker</rdg><rdg wit="#B">class-conscious proletarian</rdg></app>',
    );
  });

  it("leaves a partial witness out of the columns it lacks", () => {
    const base =
      "First paragraph of the base, which the fragment lacks entirely, every word of it.\n\nSecond paragraph, which both witnesses have, more or less.";
    const t = collateAll(
      "ICC",
      base,
      { F: "Second paragraph, which both witnesses have, more or less.", W: base.replace("both", "all") },
      { partial: ["F"], lacunaWords: 5 },
    );
    const first = t.columns.find((c) => c.base.text.includes("lacks entirely"));
    expect(first?.cells.F).toBeNull();
    const both = t.columns.find((c) => c.variant && c.cells.W?.text === "all");
    expect(both?.cells.F?.text).toBe("both");
  });
});
