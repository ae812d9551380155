import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Collation, collate, mirrorVariant, type Variant } from "../../schema/collate.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";

// Test data quoted from CollateX's public test suite (github.com/interedition/collatex, collatex-core,
// src/test/java/eu/interedition/collatex/dekker/TranspositionTest.java and AlignmentTest.java), and from
// the examples of its console (collatex-tools/src/main/resources/static/collatex-console.js). The
// witnesses' words are CollateX's, unaltered.

const brief = (vs: Variant[]) => vs.map((v) => [v.type, v.base.text, v.witness.text]);
const words = (t: string) => (t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).sort();
const of = (c: Collation, type: Variant["type"]) => c.variants.filter((v) => v.type === type);

/** Collates both ways and checks that each is the other's mirror; returns base → witness. */
function both(a: string, b: string): Collation {
  const ab = collate(a, b);
  const ba = collate(b, a);
  expect(ba.variants).toEqual(ab.variants.map(mirrorVariant));
  return ab;
}

/** No word is both omitted (somewhere) and added (somewhere else). */
function noWordTwice(c: Collation): void {
  const omitted = new Set(of(c, "omission").flatMap((v) => words(v.base.text)));
  const added = of(c, "addition").flatMap((v) => words(v.witness.text));
  expect(added.filter((w) => omitted.has(w))).toEqual([]);
}

describe("transpositions", () => {
  it("finds a one-word move (CollateX: 'a b' / 'b a') as one transposition with both places, both ways", () => {
    const c = both("a b", "b a");
    expect(brief(c.variants)).toEqual([["transposition", "a", "a"]]);
    // The base has "a" at 0; the witness has it at 2, which in the base's terms is after "b" (3).
    expect(c.variants[0]?.moved).toEqual({ base: 3, witness: 0, acrossParagraphs: false });
  });

  it("finds a word moved from the end to the start ('He was agast, so' / 'So he was agast'), the comma its own variant", () => {
    const c = both("He was agast, so", "So he was agast");
    const sorted = [...c.variants].sort((x, y) => x.base.start - y.base.start);
    expect(sorted.map((v) => [v.type, v.class, v.base.text, v.witness.text])).toEqual([
      ["substitution", "orthographic", "He", "he"],
      ["omission", "punctuation", ",", ""],
      ["transposition", "transposition", "so", "So"],
    ]);
    noWordTwice(c);
  });

  it("finds nouns swapped round shared words ('the drought of march…' / 'the march of the drought…') without reporting a word twice", () => {
    const c = both(
      "the drought of march hath perced to the root",
      "the march of the drought hath perced to the root",
    );
    noWordTwice(c);
    expect(of(c, "transposition").map((v) => v.base.text)).toContain("drought");
    // The one word the second witness has more is its second "the".
    expect(brief(of(c, "addition"))).toEqual([["addition", "", "the"]]);
    expect(of(c, "omission")).toEqual([]);
  });

  it("counts transpositions as CollateX's TranspositionTest does", () => {
    expect(of(both("no transposition", "no transposition"), "transposition")).toHaveLength(0);
    expect(of(both("a b", "c a"), "transposition")).toHaveLength(0);
    expect(of(both("a b c", "b c a"), "transposition")).toHaveLength(1);
    const cat = both("the cat is black", "black is the cat");
    expect(of(cat, "omission")).toEqual([]);
    expect(of(cat, "addition")).toEqual([]);
    noWordTwice(cat);
  });

  it("leaves two words exchanged for each other as substitutions (CollateX: 'A black cat in a white basket')", () => {
    const c = both("A black cat in a white basket", "A white cat in a black basket");
    expect(brief(c.variants)).toEqual([
      ["substitution", "black", "white"],
      ["substitution", "white", "black"],
    ]);
  });

  const icc = (() => {
    const r = witnessText(manifestoDoc(), "ICC");
    if (!r.ok) throw new Error(r.reason);
    return r.text;
  })();
  const paragraphs = icc.split("\n\n");
  const long = paragraphs.findIndex((p) => p.split(" ").length > 80);

  it("finds a long phrase moved the length of a paragraph of the Manifesto as one transposition", () => {
    const p = paragraphs[long] as string;
    const cut = p.split(" ");
    const phrase = cut
      .slice(-8)
      .join(" ")
      .replace(/[^\p{L}\p{N}]+$/u, "");
    const rest = p.slice(0, p.lastIndexOf(phrase)).trimEnd();
    const moved = [...paragraphs];
    moved[long] = `${phrase} ${rest}${p.slice(p.lastIndexOf(phrase) + phrase.length)}`;
    const c = both(icc, moved.join("\n\n"));
    const t = of(c, "transposition");
    expect(brief(t)).toEqual([["transposition", phrase, phrase]]);
    expect(t[0]?.moved?.acrossParagraphs).toBe(false);
    noWordTwice(c);
  });

  it("reports a sentence moved to another paragraph as a move across paragraphs", () => {
    const p = paragraphs[long] as string;
    const sentence = (p.match(/[^.]+\./g) ?? [])[1]?.trim() as string;
    expect(sentence.split(" ").length).toBeGreaterThan(4);
    const moved = [...paragraphs];
    moved[long] = p.replace(` ${sentence}`, "");
    moved[long + 2] = `${moved[long + 2]} ${sentence}`;
    const c = both(icc, moved.join("\n\n"));
    const t = of(c, "transposition");
    expect(t.map((v) => [v.base.text, v.moved?.acrossParagraphs])).toEqual([
      [sentence.replace(/\.$/, ""), true],
    ]);
    noWordTwice(c);
  });

  it("is order-independent and never reports the same word omitted and added, on random texts with moves", () => {
    const vocab = ["a", "b", "c", "d", "the", "cat", "sat", "mat", "black"];
    const text = fc.array(fc.constantFrom(...vocab), { minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), fc.nat(), (ws, i, j, k) => {
        // A witness: the text with a run cut out and put back elsewhere.
        const from = i % ws.length;
        const len = 1 + (j % Math.max(1, ws.length - from));
        const run = ws.slice(from, from + len);
        const rest = [...ws.slice(0, from), ...ws.slice(from + len)];
        const to = k % (rest.length + 1);
        const witness = [...rest.slice(0, to), ...run, ...rest.slice(to)];
        const c = both(ws.join(" "), witness.join(" "));
        noWordTwice(c);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
