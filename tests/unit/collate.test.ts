import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collate, type Variant, variantsJson } from "../../schema/collate.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { EXCERPTS } from "../helpers/paths.ts";
import { type ScriptedEdit, syntheticWitness } from "../helpers/synthetic.ts";

const ydoc = manifestoDoc();
const icc = (() => {
  const r = witnessText(ydoc, "ICC");
  if (!r.ok) throw new Error(r.reason);
  return r.text;
})();

const brief = (vs: Variant[]) => vs.map((v) => [v.type, v.base.text, v.witness.text]);

/** Whether a reported variant is the scripted edit (same kind, overlapping base stretch). */
function matches(v: Variant, e: ScriptedEdit): boolean {
  const overlap = v.base.start <= e.end && e.start <= v.base.end;
  switch (e.kind) {
    case "substitution":
      return v.type === "substitution" && v.class === "substantive" && overlap;
    case "omission":
      return v.type === "omission" && overlap;
    case "addition":
      return v.type === "addition" && Math.abs(v.base.start - e.start) <= 2;
    case "transposition":
      // The synthetic move takes its words and leaves a mark between them behind, or drops it (the
      // "?" of "will happen?"): the collator reports that mark, as it should, beside the move.
      return (v.type === "transposition" || v.class === "punctuation") && overlap;
    case "punctuation":
      return v.class === "punctuation" && overlap;
    case "spelling":
      return v.class === "orthographic" && overlap;
  }
}

describe("the collator", () => {
  it("finds scripted edits in a synthetic witness of the Manifesto with precision and recall of at least 0.95", () => {
    const seed = 20261122;
    const { witness, edits } = syntheticWitness(icc, seed, 120);
    const { variants } = collate(icc, witness);
    const found = edits.filter((e) => variants.some((v) => matches(v, e)));
    const correct = variants.filter((v) => edits.some((e) => matches(v, e)));
    const recall = found.length / edits.length;
    const precision = correct.length / variants.length;
    console.log(
      `collation accuracy (seed ${seed}): ${edits.length} scripted edits, ${variants.length} reported; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    const missed = edits
      .filter((e) => !found.includes(e))
      .map((e) => `${e.kind} "${icc.slice(e.start, e.end)}" at ${e.start}`);
    const spurious = variants
      .filter((v) => !correct.includes(v))
      .map((v) => `${v.type}/${v.class} "${v.base.text}" → "${v.witness.text}"`);
    expect(
      { precision, recall },
      `seed ${seed}; missed: ${missed.join("; ")}; spurious: ${spurious.join("; ")}`,
    ).toEqual({
      precision: expect.toSatisfy((p: number) => p >= 0.95),
      recall: expect.toSatisfy((r: number) => r >= 0.95),
    });
  });

  it("reports nothing where the texts agree", () => {
    expect(collate(icc, icc).variants).toEqual([]);
  });

  it("gives the same variants mirrored when the texts are swapped", () => {
    const { witness } = syntheticWitness(icc, 7, 60);
    const ab = variantsJson(collate(icc, witness));
    const ba = variantsJson(collate(witness, icc));
    const mirrored = ba.map((v) => ({
      type: v.type === "omission" ? "addition" : v.type === "addition" ? "omission" : v.type,
      base: v.witness,
      witness: v.base,
    }));
    expect(mirrored).toEqual(ab);
  });

  it("aligns words before punctuation and keeps what normalisation hides", () => {
    const c = collate(
      "We organise the labour movement, “quickly”.",
      'We organize the labor movement, "quickly";',
    );
    expect(c.variants.map((v) => [v.class, v.base.text, v.witness.text])).toEqual([
      ["orthographic", "organise", "organize"],
      ["orthographic", "labour", "labor"],
      ["punctuation", "“", '"'],
      ["punctuation", "”", '"'],
      ["punctuation", ".", ";"],
    ]);
  });

  it("reports a moved phrase as one transposition", () => {
    const c = collate(
      "one two three four five six seven eight nine",
      "one two six seven three four five eight nine",
    );
    expect(brief(c.variants)).toEqual([["transposition", "six seven", "six seven"]]);
  });

  it("gives lacunae, not omissions, for a partial witness", () => {
    const paragraphs = icc.split("\n\n");
    const part = paragraphs.slice(10, 13).join("\n\n");
    const c = collate(icc, part, { partial: true });
    expect(c.variants).toEqual([]);
    expect(c.lacunae).toHaveLength(2);
    expect(c.lacunae[0]?.base.start).toBe(0);
  });

  it("aligns two translations of one source (Q against the ICC) on their shared words", () => {
    const excerpts = readFileSync(EXCERPTS, "utf8");
    const q = (/C1 \(block quotation[^\n]*\n([^\n]+)/.exec(excerpts)?.[1] ?? "").replace(/”$/, "");
    const start = icc.indexOf("In this way, they become");
    const end =
      icc.indexOf("better advocates than the Socialists.") + "better advocates than the Socialists.".length;
    const c = collate(icc, q, {}, { base: [start, end] });
    const equal = c.segments
      .filter((s) => s.kind === "equal")
      .map((s) => (s.kind === "equal" ? s.base.text : ""));
    const shared = equal.join(" ");
    for (const word of [
      "saviours of the bourgeoisie",
      "proletarian revolution",
      "socialist phrases",
      "traitors",
    ]) {
      expect(shared).toContain(word);
    }
    expect(c.variants.length).toBeGreaterThan(3);
  });
});
