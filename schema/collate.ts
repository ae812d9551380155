/**
 * Collation of two texts: word-level alignment with configurable normalisation, reported as variants
 * with character offsets into both texts.
 *
 * - Words are aligned first, punctuation after, so that a moved comma never pulls words out of line.
 * - Alignment is patience-style: words that occur exactly once in both stretches anchor the alignment
 *   (longest increasing run of them), and the gaps between anchors are aligned by Myers' diff. This keeps
 *   the cost close to linear in the length and finds the shared words of two translations of one source.
 * - What normalisation hides (case, typographic quotes, spelling pairs, punctuation) is not thrown away: it
 *   is reported as an orthographic or punctuation variant.
 * - Words omitted in one place and added in another are one transposition, whose two places are both
 *   given (`moved`): within a paragraph at any distance and of any length, across paragraphs a whole
 *   phrase, marked as such (collate/moves.ts). The same words are never an omission and an addition.
 * - A substitution of capitals only, or of a near match ("agast"/"aghast"), is orthographic; of marks
 *   only, punctuation (collate/classify.ts).
 * - For a partial witness, long stretches it lacks are lacunae, not omissions; its text that aligns with
 *   nothing (a transcriber's remark, a newspaper's heading) is reported as unaligned, for a person to
 *   place, never attached to the nearest word; a few words matched by chance inside such a stretch are
 *   not an alignment.
 * - A contraction and its two words (doesn't / does not), and past forms in -t (learnt / learned), are
 *   orthographic variants; an added or omitted mark of punctuation is placed against the word before it.
 * - The result does not depend on which text comes first: the texts are put in a canonical order before
 *   aligning and the result is mirrored back, so swapping them gives exactly the mirrored variants.
 *
 * Offsets are JavaScript string indices (UTF-16 code units), end exclusive.
 */

import { alignSequences } from "./collate/align.ts";
import { classifySubstitution } from "./collate/classify.ts";
import { findMoves, type Gap } from "./collate/moves.ts";
import { lacunaeOf, withoutChanceMatches } from "./collate/partial.ts";
import { segmentsOf } from "./collate/segments.ts";
import { type AlignmentTable, alignmentTable } from "./collate/table.ts";
import { mergeContractions, normaliser, type Token, tokenize } from "./collate/tokens.ts";
import {
  type CollateOptions,
  type Collation,
  DEFAULT_NEAR_MATCH,
  DEFAULT_NORMALISATION,
  type Span,
  type Variant,
  type VariantClass,
  type VariantKind,
} from "./collate/types.ts";

export * from "./collate/table.ts";
export * from "./collate/types.ts";
export { alignSequences, classifySubstitution };

function span(text: string, tokens: Token[], from: number, to: number, at: number): Span {
  if (from >= to) return { start: at, end: at, text: "" };
  const start = (tokens[from] as Token).start;
  const end = (tokens[to - 1] as Token).end;
  return { start, end, text: text.slice(start, end) };
}

/** Collates a witness against a base. Both are whole texts; `range` limits each to a stretch (a header skipped). */
export function collate(
  base: string,
  witness: string,
  options: Partial<CollateOptions> = {},
  ranges: { base?: [number, number]; witness?: [number, number] } = {},
): Collation {
  // Canonical order: collate the "smaller" text against the other and mirror back if needed.
  const swap = !options.partial && canonicalFirst(witness, base);
  if (swap) return mirror(collateOrdered(witness, base, options, ranges.witness, ranges.base));
  return collateOrdered(base, witness, options, ranges.base, ranges.witness);
}

function canonicalFirst(x: string, y: string): boolean {
  if (x.length !== y.length) return x.length < y.length;
  return x < y;
}

/** A variant seen from the other text: base and witness swapped, omission and addition swapped. */
export function mirrorVariant(v: Variant): Variant {
  const flip: Record<VariantKind, VariantKind> = {
    substitution: "substitution",
    omission: "addition",
    addition: "omission",
    transposition: "transposition",
  };
  const cls: VariantClass =
    v.class === "omission" ? "addition" : v.class === "addition" ? "omission" : v.class;
  const out: Variant = { type: flip[v.type], class: cls, base: v.witness, witness: v.base };
  if (v.moved)
    out.moved = { base: v.moved.witness, witness: v.moved.base, acrossParagraphs: v.moved.acrossParagraphs };
  return out;
}

function mirror(c: Collation): Collation {
  return {
    variants: c.variants.map(mirrorVariant),
    lacunae: [],
    unaligned: [],
    segments: c.segments.map((s) =>
      s.kind === "equal" ? { kind: "equal", base: s.witness, witness: s.base } : s,
    ),
  };
}

function collateOrdered(
  base: string,
  witness: string,
  options: Partial<CollateOptions>,
  baseRange: [number, number] = [0, base.length],
  witnessRange: [number, number] = [0, witness.length],
): Collation {
  const n = { ...DEFAULT_NORMALISATION, ...options.normalise };
  // Spelling not normalised: the caller counts every spelling as a reading, near matches included.
  const near = n.spelling ? (options.nearMatch ?? DEFAULT_NEAR_MATCH) : 0;
  const norm = normaliser(n);
  const bt = tokenize(base, baseRange[0], baseRange[1], norm, n.spelling);
  const wt = tokenize(witness, witnessRange[0], witnessRange[1], norm, n.spelling);
  // Words are aligned first (all tokens, when punctuation is not normalised away).
  const bw = n.punctuation ? bt.map((_, i) => i).filter((i) => (bt[i] as Token).word) : bt.map((_, i) => i);
  const ww = n.punctuation ? wt.map((_, i) => i).filter((i) => (wt[i] as Token).word) : wt.map((_, i) => i);
  const aligned = alignSequences(
    bw.map((i) => (bt[i] as Token).norm),
    ww.map((i) => (wt[i] as Token).norm),
  );
  const pairs = (options.partial ? withoutChanceMatches(aligned) : aligned).map(
    ([i, j]) => [bw[i] as number, ww[j] as number] as [number, number],
  );
  const minWords = options.lacunaWords ?? 25;

  // The gaps between aligned words, then the moves among them.
  const gaps: Gap[] = [];
  {
    let pb = 0;
    let pw = 0;
    for (const [i, j] of [...pairs, [bt.length, wt.length] as [number, number]]) {
      if (i > pb || j > pw) gaps.push({ b0: pb, b1: i, w0: pw, w1: j });
      pb = i + 1;
      pw = j + 1;
    }
  }
  const wordsIn = (tokens: Token[], from: number, to: number) => {
    let k = 0;
    for (let i = from; i < to; i++) if ((tokens[i] as Token).word) k++;
    return k;
  };
  // A partial witness's edges and long gaps are its lacunae and its unaligned text: no words for a move.
  const eligible = (g: Gap) =>
    !options.partial ||
    (g.b0 > 0 && g.w0 > 0 && g.b1 < bt.length && g.w1 < wt.length && wordsIn(bt, g.b0, g.b1) < minWords);
  const moves = findMoves(base, witness, bt, wt, gaps, { base: baseRange, witness: witnessRange }, eligible);

  const raw: Variant[] = [];
  const gap = (from: number, b1: number, w0: number, w1: number) => {
    let b0 = from;
    // Marks the two sides share at a gap's edges (the apostrophe of "workers' council") are not its text.
    const sameMark = (i: number, j: number) =>
      !(bt[i] as Token).word && !(wt[j] as Token).word && (bt[i] as Token).text === (wt[j] as Token).text;
    while (b0 < b1 && w0 < w1 && sameMark(b0, w0)) {
      b0++;
      w0++;
    }
    while (b1 > b0 && w1 > w0 && sameMark(b1 - 1, w1 - 1)) {
      b1--;
      w1--;
    }
    const bs = bt.slice(b0, b1);
    const ws = wt.slice(w0, w1);
    const bWords = bs.filter((t) => t.word);
    const wWords = ws.filter((t) => t.word);
    if (bs.length === 0 && ws.length === 0) return;
    const baseSpan = span(base, bt, b0, b1, b0 < bt.length ? (bt[b0] as Token).start : baseRange[1]);
    const witSpan = span(witness, wt, w0, w1, w0 < wt.length ? (wt[w0] as Token).start : witnessRange[1]);
    if (bWords.length === 0 && wWords.length === 0) {
      punctuationGap(base, witness, bt, bs, ws, b0, baseSpan, witSpan, raw);
      return;
    }
    const type: VariantKind =
      bWords.length === 0 ? "addition" : wWords.length === 0 ? "omission" : "substitution";
    raw.push({
      type,
      class: type === "substitution" ? classifySubstitution(baseSpan.text, witSpan.text, near) : type,
      base: baseSpan,
      witness: witSpan,
    });
  };
  /** A side's token range without its moved tokens: the runs between them (at least one, maybe empty). */
  const runsOf = (moved: Set<number>, from: number, to: number): [number, number][] => {
    const out: [number, number][] = [];
    let start = from;
    for (let i = from; i < to; i++) {
      if (!moved.has(i)) continue;
      if (i > start) out.push([start, i]);
      start = i + 1;
    }
    if (to > start || out.length === 0) out.push([start, to]);
    return out;
  };
  let gi = 0;
  const walkGap = (g: Gap) => {
    const rb = runsOf(moves.base, g.b0, g.b1);
    const rw = runsOf(moves.witness, g.w0, g.w1);
    // What is left of a gap around its moved words: the runs of each side in order, paired as they come.
    for (let k = 0; k < Math.max(rb.length, rw.length); k++) {
      const b = rb[k] ?? [(rb.at(-1) as [number, number])[1], (rb.at(-1) as [number, number])[1]];
      const w = rw[k] ?? [(rw.at(-1) as [number, number])[1], (rw.at(-1) as [number, number])[1]];
      gap(b[0], b[1], w[0], w[1]);
    }
  };
  for (const [i, j] of pairs) {
    const g = gaps[gi];
    if (g && g.b1 === i && g.w1 === j) {
      walkGap(g);
      gi++;
    }
    const b = bt[i] as Token;
    const w = wt[j] as Token;
    if (b.text !== w.text) {
      // Equal once normalised: what normalisation hid is kept as a variant of its own class.
      raw.push({
        type: "substitution",
        class: b.word ? "orthographic" : "punctuation",
        base: { start: b.start, end: b.end, text: b.text },
        witness: { start: w.start, end: w.end, text: w.text },
      });
    }
  }
  for (; gi < gaps.length; gi++) walkGap(gaps[gi] as Gap);

  const variants = [...mergeContractions(raw, base, witness), ...moves.transpositions];
  let kept = variants;
  let lacunae: Collation["lacunae"] = [];
  let unaligned: Collation["unaligned"] = [];
  if (options.partial)
    ({ kept, lacunae, unaligned } = lacunaeOf(variants, base, bt, wt, pairs, baseRange[1], minWords));
  kept.sort((a, b) => a.base.start - b.base.start || a.witness.start - b.witness.start);
  const segments = segmentsOf(base, witness, kept, lacunae, unaligned, baseRange, witnessRange);
  return { variants: kept, lacunae, unaligned, segments };
}

/** Only punctuation between two aligned words: the marks aligned, each one that differs reported. */
function punctuationGap(
  base: string,
  witness: string,
  bt: Token[],
  bs: Token[],
  ws: Token[],
  b0: number,
  baseSpan: Span,
  witSpan: Span,
  out: Variant[],
): void {
  const marks = alignSequences(
    bs.map((t) => t.norm),
    ws.map((t) => t.norm),
  );
  let mb = 0;
  let mw = 0;
  const unmatched = (b1: number, w1: number) => {
    if (b1 === mb && w1 === mw) return;
    const type: VariantKind = b1 === mb ? "addition" : w1 === mw ? "omission" : "substitution";
    const at = (list: Token[], i: number, fallback: number) =>
      i < list.length ? (list[i] as Token).start : fallback;
    // An added mark belongs to the word before it ("proletariat," not ",and").
    const before = mb > 0 ? (bs[mb - 1] as Token).end : b0 > 0 ? (bt[b0 - 1] as Token).end : null;
    out.push({
      type,
      class: "punctuation",
      base: span(
        base,
        bs,
        mb,
        b1,
        type === "addition" && before !== null ? before : at(bs, mb, baseSpan.end),
      ),
      witness: span(witness, ws, mw, w1, at(ws, mw, witSpan.end)),
    });
  };
  for (const [i, j] of marks) {
    unmatched(i, j);
    const b = bs[i] as Token;
    const w = ws[j] as Token;
    if (b.text !== w.text) {
      out.push({
        type: "substitution",
        class: "punctuation",
        base: { start: b.start, end: b.end, text: b.text },
        witness: { start: w.start, end: w.end, text: w.text },
      });
    }
    mb = i + 1;
    mw = j + 1;
  }
  unmatched(bs.length, ws.length);
}

/**
 * Collates every witness with the base at once into one alignment table (collate/table.ts); `partial`
 * names the witnesses that cover only parts of the base. The order of `witnesses` does not matter.
 */
export function collateAll(
  baseSiglum: string,
  base: string,
  witnesses: Record<string, string>,
  options: Partial<Omit<CollateOptions, "partial">> & { partial?: string[] } = {},
): AlignmentTable {
  const { partial = [], ...rest } = options;
  const collations = Object.fromEntries(
    Object.entries(witnesses).map(([s, text]) => [
      s,
      collate(base, text, { ...rest, partial: partial.includes(s) }),
    ]),
  );
  return alignmentTable(baseSiglum, base, witnesses, collations);
}

/** The `npx variorum collate --json` form: the variants only, as the issue specifies them. */
export function variantsJson(c: Collation): { type: VariantKind; base: Span; witness: Span }[] {
  return c.variants.map((v) => ({ type: v.type, base: v.base, witness: v.witness }));
}
