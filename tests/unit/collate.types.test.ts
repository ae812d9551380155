import { describe, expect, it } from "vitest";
import { collate, mirrorVariant, type Variant } from "../../schema/collate.ts";

// "near matching yeah" / "nar matching" is quoted from CollateX's public test suite (github.com/
// interedition/collatex, collatex-core/src/test/java/eu/interedition/collatex/matching/NearMatcherTest.java);
// "He was agast" / "He was aghast" varies the spelling of its "He was agast, so" (TranspositionTest.java).

const classes = (vs: Variant[]) => vs.map((v) => [v.type, v.class, v.base.text, v.witness.text]);

/** Collates both ways; the second is the first mirrored; returns base → witness. */
function both(a: string, b: string, options: Parameters<typeof collate>[2] = {}): Variant[] {
  const ab = collate(a, b, options).variants;
  expect(collate(b, a, options).variants).toEqual(ab.map(mirrorVariant));
  return ab;
}

describe("types a reviewer can filter on", () => {
  it("classes a difference of capitals alone as orthographic, whether case is normalised or not", () => {
    expect(classes(both("The Cat sat", "the cat sat"))).toEqual([
      ["substitution", "orthographic", "The", "the"],
      ["substitution", "orthographic", "Cat", "cat"],
    ]);
    expect(classes(both("The Cat sat", "the cat sat", { normalise: { case: false } }))).toEqual([
      ["substitution", "orthographic", "The Cat", "the cat"],
    ]);
  });

  it("classes a difference of punctuation alone as punctuation, whether punctuation is normalised or not", () => {
    for (const normalise of [{}, { punctuation: false }]) {
      const vs = both("the cat, sat.", "the cat sat", { normalise });
      expect(vs.length).toBeGreaterThan(0);
      expect(vs.map((v) => v.class)).toEqual(vs.map(() => "punctuation"));
    }
  });

  it("classes near matches by edit distance as orthographic ('agast'/'aghast', 'Miasnikov'/'Myasnikov'), in both directions", () => {
    expect(classes(both("He was agast", "He was aghast"))).toEqual([
      ["substitution", "orthographic", "agast", "aghast"],
    ]);
    expect(classes(both("Miasnikov wrote it", "Myasnikov wrote it"))).toEqual([
      ["substitution", "orthographic", "Miasnikov", "Myasnikov"],
    ]);
  });

  it("takes the near-match threshold as an option: off, or tighter, a near match is substantive", () => {
    expect(classes(both("He was agast", "He was aghast", { nearMatch: 0 }))).toEqual([
      ["substitution", "substantive", "agast", "aghast"],
    ]);
    expect(classes(both("He was agast", "He was aghast", { nearMatch: 0.1 }))).toEqual([
      ["substitution", "substantive", "agast", "aghast"],
    ]);
    // CollateX's near-match example: one edit in four letters is within 0.25, not within the default.
    expect(classes(both("near matching yeah", "nar matching")).slice(0, 1)).toEqual([
      ["substitution", "substantive", "near", "nar"],
    ]);
    expect(classes(both("near matching yeah", "nar matching", { nearMatch: 0.25 }))).toEqual([
      ["substitution", "orthographic", "near", "nar"],
      ["omission", "omission", "yeah", ""],
    ]);
  });

  it("keeps what changes words substantive: another word, or another ending (Soviet/Soviets)", () => {
    expect(classes(both("the workers' council", "the workers' party"))).toEqual([
      ["substitution", "substantive", "council", "party"],
    ]);
    expect(classes(both("the Soviet power", "the Soviets power"))).toEqual([
      ["substitution", "substantive", "Soviet", "Soviets"],
    ]);
  });
});
