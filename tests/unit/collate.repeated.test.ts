import { describe, expect, it } from "vitest";
import { largeEdition } from "../../bench/largeEdition.ts";
import { collate } from "../../schema/collate.ts";
import { docToPlainBlocks } from "../../schema/textdoc.ts";
import { syntheticWitness } from "../helpers/synthetic.ts";

// A text that repeats itself at length has no word that occurs once, and each side repeats it a different
// number of times: the benchmark's large edition (37 copies of the Manifesto) against its witness WD (a
// synthetic witness of the first 300 k characters) once aligned nothing at all and proposed no entry.
describe("collating a text that repeats itself at length", () => {
  it("finds the scripted edits of the large edition's synthetic witness, and the rest of the base as lacunae", () => {
    const edition = largeEdition();
    const base = docToPlainBlocks(edition.body)
      .map((b) => b.text)
      .join("\n\n");
    // The same stretch and seed as bench/largeEdition.ts, to know where its edits are.
    const start = base.indexOf("\n\n") + 2;
    const stretch = base.slice(start, base.indexOf("\n\n", start + 300_000));
    const { witness, edits } = syntheticWitness(stretch, 100, Math.round(stretch.length / 400));
    expect(edition.witnesses[0]?.text.replace(/\s+/g, " ")).toBe(witness.replace(/\s+/g, " "));

    // What the server collates: the transcription's paragraphs, as the witness document holds them.
    const result = collate(base, edition.witnesses[0]?.text ?? "", { partial: true });
    const near = (e: { start: number; end: number }, v: { base: { start: number; end: number } }) =>
      v.base.start <= start + e.end + 2 && v.base.end >= start + e.start - 2;
    const found = edits.filter((e) => result.variants.some((v) => near(e, v)));
    expect(found.length / edits.length).toBeGreaterThan(0.95);
    const lacking = result.lacunae.reduce((n, l) => n + l.base.end - l.base.start, 0);
    expect(lacking).toBeGreaterThan((base.length - stretch.length) * 0.95);
  });
});
