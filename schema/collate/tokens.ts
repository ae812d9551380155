/**
 * The collator's tokens and normalisation: words and marks with their offsets, and the forms they are
 * compared in (case, typographic quotes, spelling pairs such as -ise/-ize and learnt/learned). A
 * contraction ("doesn't") is compared as its two words ("does not") and reported as one orthographic
 * variant. Pure; see ../collate.ts.
 */
import type { Normalisation, Variant } from "./types.ts";

/** A word or mark of a text, with its place and its normalised form. */
export interface Token {
  text: string;
  start: number;
  end: number;
  norm: string;
  word: boolean;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’\u2019-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
const QUOTES: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u00AB": '"',
  "\u00BB": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2012": "-",
  "\u2212": "-",
};
const SPELLING: [RegExp, string][] = [
  [/isation/g, "ization"],
  [/ise(s|d)?$/g, "ize$1"],
  [/ising$/g, "izing"],
  [/yse(s|d)?$/g, "yze$1"],
  [/our(s|ed|ing)?$/g, "or$1"],
  [/tre(s)?$/g, "ter$1"],
  [/ll(ed|ing)$/g, "l$1"],
];

/** British past forms in -t and their -ed forms: one word spelt two ways. */
const PAST_IN_T: Record<string, string> = {
  learnt: "learned",
  spelt: "spelled",
  burnt: "burned",
  dreamt: "dreamed",
  spoilt: "spoiled",
  smelt: "smelled",
  leapt: "leaped",
  spilt: "spilled",
  dwelt: "dwelled",
  knelt: "kneeled",
};

export function normaliser(n: Normalisation): (text: string) => string {
  const pairs = new Map(
    n.pairs.flatMap(([a, b]) => [
      [a.toLowerCase(), b.toLowerCase()],
      [b.toLowerCase(), b.toLowerCase()],
    ]),
  );
  return (text) => {
    let t = text;
    if (n.quotes)
      t = t.replace(
        /[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u00AB\u00BB\u2012-\u2014\u2212]/g,
        (c) => QUOTES[c] ?? c,
      );
    if (n.case) t = t.toLowerCase();
    const pair = pairs.get(t.toLowerCase());
    if (pair) return pair;
    if (n.spelling && PAST_IN_T[t.toLowerCase()]) return PAST_IN_T[t.toLowerCase()] as string;
    if (n.spelling && t.length > 4) for (const [re, to] of SPELLING) t = t.replace(re, to);
    return t;
  };
}

/** Contractions compared as their two words: the stem's full form and the clitic's. */
const CONTRACTION = /^([\p{L}]+?)(n['’]t|['’](?:ve|re|ll|m|d))$/iu;
const IRREGULAR_STEM: Record<string, string> = { ca: "can", wo: "will", sha: "shall" };
const CLITIC: Record<string, string> = {
  "n't": "not",
  "'ve": "have",
  "'re": "are",
  "'ll": "will",
  "'m": "am",
  "'d": "would",
};

/**
 * The text's tokens between two offsets. With `contractions`, "doesn't" is two tokens ("doesn" compared
 * as "does", "'t" as "not") so that it aligns with "does not"; `mergeContractions` makes one variant of it.
 */
export function tokenize(
  text: string,
  from: number,
  to: number,
  norm: (t: string) => string,
  contractions = false,
): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = from;
  const slice = text.slice(0, to);
  for (let m = TOKEN.exec(slice); m; m = TOKEN.exec(slice)) {
    const word = /[\p{L}\p{N}]/u.test(m[0]);
    const c = contractions ? CONTRACTION.exec(m[0]) : null;
    if (c) {
      const stem = c[1] as string;
      const clitic = (c[2] as string).replace("’", "'").toLowerCase();
      const lower = stem.toLowerCase();
      const stemNorm = norm(IRREGULAR_STEM[lower] ?? lower);
      const split = m.index + stem.length;
      out.push({ text: stem, start: m.index, end: split, norm: stemNorm, word: true });
      out.push({
        text: m[0].slice(stem.length),
        start: split,
        end: m.index + m[0].length,
        norm: norm(CLITIC[clitic] ?? clitic),
        word: true,
      });
      continue;
    }
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length, norm: norm(m[0]), word });
  }
  return out;
}

/**
 * Joins the orthographic variants that a contraction split in two ("does"/"doesn", "not"/"'t") into one:
 * `does not] doesn't`. Two variants join when one side's spans touch (the halves of one word) and
 * nothing but spaces lies between the other side's.
 */
export function mergeContractions(variants: Variant[], base: string, witness: string): Variant[] {
  const out: Variant[] = [];
  for (const v of variants) {
    const prev = out.at(-1);
    const touching = (a: { end: number }, b: { start: number }) => a.end === b.start;
    const spaced = (text: string, a: { end: number }, b: { start: number }) =>
      b.start >= a.end && text.slice(a.end, b.start).trim() === "";
    if (
      prev &&
      prev.class === "orthographic" &&
      v.class === "orthographic" &&
      ((touching(prev.witness, v.witness) && spaced(base, prev.base, v.base)) ||
        (touching(prev.base, v.base) && spaced(witness, prev.witness, v.witness)))
    ) {
      out[out.length - 1] = {
        ...prev,
        base: { start: prev.base.start, end: v.base.end, text: base.slice(prev.base.start, v.base.end) },
        witness: {
          start: prev.witness.start,
          end: v.witness.end,
          text: witness.slice(prev.witness.start, v.witness.end),
        },
      };
    } else out.push(v);
  }
  return out.map((v) => (v.class === "orthographic" ? wholeContraction(v, base, witness) : v));
}

const LETTER = /[\p{L}\p{N}]/u;

/**
 * A variant on the half of a contraction ("n't" / "not", where the stems agree) is widened to the whole
 * words: `doesn't] does not`, never `n't] not`.
 */
function wholeContraction(v: Variant, base: string, witness: string): Variant {
  const wordStart = (text: string, at: number) => {
    let i = at;
    while (i > 0 && LETTER.test(text[i - 1] as string)) i--;
    return i;
  };
  const previousWordStart = (text: string, at: number) => {
    let i = at;
    while (i > 0 && /\s/.test(text[i - 1] as string)) i--;
    return wordStart(text, i);
  };
  const inside = (text: string, at: number) => at > 0 && LETTER.test(text[at - 1] as string);
  const widen = (contracted: Variant["base"], ct: string, split: Variant["base"], st: string) => {
    const cs = wordStart(ct, contracted.start);
    const ss = previousWordStart(st, split.start);
    return [
      { start: cs, end: contracted.end, text: ct.slice(cs, contracted.end) },
      { start: ss, end: split.end, text: st.slice(ss, split.end) },
    ] as const;
  };
  if (inside(base, v.base.start) && !inside(witness, v.witness.start)) {
    const [b, w] = widen(v.base, base, v.witness, witness);
    return { ...v, base: b, witness: w };
  }
  if (inside(witness, v.witness.start) && !inside(base, v.base.start)) {
    const [w, b] = widen(v.witness, witness, v.base, base);
    return { ...v, base: b, witness: w };
  }
  return v;
}
