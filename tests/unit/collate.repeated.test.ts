import { describe, expect, it } from "vitest";
import { collate } from "../../schema/collate.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { syntheticWitness } from "../helpers/synthetic.ts";

const icc = (() => {
  const r = witnessText(manifestoDoc(), "ICC");
  if (!r.ok) throw new Error(r.reason);
  return r.text;
})();

// A text that repeats itself at length has no word that occurs once, and each side repeats it a different
// number of times: the benchmark's large edition (37 copies of the Manifesto) against a witness of its
// first 300 k characters once aligned nothing at all and proposed no entry.
describe("collating a text that repeats itself", () => {
  const base = Array.from({ length: 6 }, () => icc).join("\n\n");
  const stretch = Array.from({ length: 2 }, () => icc).join("\n\n");
  const { witness, edits } = syntheticWitness(stretch, 7, 40);

  it("aligns the witness in order from the start and finds every scripted edit (a synthetic witness)", () => {
    const result = collate(base, witness, { partial: true });
    const found = edits.filter((e) =>
      result.variants.some((v) => v.base.start <= e.end + 2 && v.base.end >= e.start - 2),
    );
    expect(found.length).toBe(edits.length);
    // What the witness lacks is the four copies after its two: lacunae, not thousands of omissions (the
    // text being the same at each copy's end, its last paragraph may align with the base's last).
    const lacking = result.lacunae.reduce((n, l) => n + l.base.end - l.base.start, 0);
    expect(result.lacunae.length).toBeLessThanOrEqual(2);
    expect(lacking).toBeGreaterThan((base.length - stretch.length) * 0.95);
    expect(result.variants.filter((v) => v.type === "omission").length).toBeLessThan(edits.length);
    // At most a word or two left for a person to place where the copies meet.
    const stray = result.unaligned.flatMap((u) => u.witness.text.split(/\s+/).filter(Boolean));
    expect(stray.length).toBeLessThan(5);
  });

  it("mirrors: swapping base and witness gives the same places", () => {
    const a = collate(base.slice(0, stretch.length * 2), witness);
    const b = collate(witness, base.slice(0, stretch.length * 2));
    expect(b.variants.length).toBe(a.variants.length);
  });
});
