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
 * - An omitted stretch that reappears elsewhere as an addition is one transposition.
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

import { alignSequences } from "./align.ts";
import { mergeContractions, normaliser, type Token, tokenize } from "./collateTokens.ts";

export { alignSequences };

export type VariantKind = "substitution" | "omission" | "addition" | "transposition";
/** The finer class the review step starts from (the apparatus's types). */
export type VariantClass =
  | "substantive"
  | "orthographic"
  | "punctuation"
  | "omission"
  | "addition"
  | "transposition";

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Variant {
  type: VariantKind;
  /** Finer classification: what normalisation hid (orthographic, punctuation) or substantive. */
  class: VariantClass;
  base: Span;
  witness: Span;
}

export interface Lacuna {
  /** The stretch of the base text the witness does not cover. */
  base: Span;
  /** Where in the witness text the gap falls. */
  witnessAt: number;
}

/** Witness text that aligns with no stretch of the base (a partial witness's remark, a heading). */
export interface Unaligned {
  witness: Span;
  /** The base offset it falls at (where a person might place it): never made an entry. */
  baseAt: number;
}

export interface Collation {
  variants: Variant[];
  lacunae: Lacuna[];
  /** Partial witnesses only: witness text that aligns with nothing in the base. */
  unaligned: Unaligned[];
  /** Aligned stretches for a side-by-side view: equal text, or a variant's index. */
  segments: Segment[];
}

export type Segment = { kind: "equal"; base: Span; witness: Span } | { kind: "variant"; index: number };

export interface Normalisation {
  case: boolean;
  /** Typographic quotes, apostrophes and dashes to their plain forms. */
  quotes: boolean;
  /** Align words only; punctuation differences become punctuation variants. */
  punctuation: boolean;
  /** Spelling pairs (British/American, -ise/-ize) compared as equal, reported as orthographic. */
  spelling: boolean;
  /** Extra pairs of word forms to treat as equal, e.g. [["labour", "labor"]]. */
  pairs: [string, string][];
}

export interface CollateOptions {
  normalise: Partial<Normalisation>;
  /** The witness covers only parts of the base: long unmatched base stretches are lacunae. */
  partial: boolean;
  /** Words in a row the witness must lack for a lacuna (partial witnesses only). */
  lacunaWords: number;
}

export const DEFAULT_NORMALISATION: Normalisation = {
  case: true,
  quotes: true,
  punctuation: true,
  spelling: true,
  pairs: [],
};

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

function mirror(c: Collation): Collation {
  const flip: Record<VariantKind, VariantKind> = {
    substitution: "substitution",
    omission: "addition",
    addition: "omission",
    transposition: "transposition",
  };
  const flipClass = (k: VariantClass): VariantClass =>
    k === "omission" ? "addition" : k === "addition" ? "omission" : k;
  return {
    variants: c.variants.map((v) => ({
      type: flip[v.type],
      class: flipClass(v.class),
      base: v.witness,
      witness: v.base,
    })),
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

  const raw: Variant[] = [];
  const segments: Segment[] = [];
  const pushVariant = (v: Variant) => {
    raw.push(v);
  };
  // Walk the aligned pairs; between two anchors lies either nothing, or a difference.
  let pb = 0;
  let pw = 0;
  const gap = (b1: number, w1: number) => {
    // Tokens strictly between the previous pair and this one, on each side.
    const bs = bt.slice(pb, b1);
    const ws = wt.slice(pw, w1);
    const bWords = bs.filter((t) => t.word);
    const wWords = ws.filter((t) => t.word);
    if (bs.length === 0 && ws.length === 0) return;
    const baseSpan = span(base, bt, pb, b1, pb < bt.length ? (bt[pb] as Token).start : baseRange[1]);
    const witSpan = span(witness, wt, pw, w1, pw < wt.length ? (wt[pw] as Token).start : witnessRange[1]);
    if (bWords.length === 0 && wWords.length === 0) {
      // Only punctuation here: align the marks themselves and report each one that differs.
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
        const before = mb > 0 ? (bs[mb - 1] as Token).end : pb > 0 ? (bt[pb - 1] as Token).end : null;
        pushVariant({
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
          pushVariant({
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
      return;
    }
    const type: VariantKind =
      bWords.length === 0 ? "addition" : wWords.length === 0 ? "omission" : "substitution";
    pushVariant({
      type,
      class: type === "substitution" ? "substantive" : type,
      base: baseSpan,
      witness: witSpan,
    });
  };
  for (const [i, j] of pairs) {
    gap(i, j);
    const b = bt[i] as Token;
    const w = wt[j] as Token;
    if (b.text !== w.text) {
      // Equal once normalised: what normalisation hid is kept as a variant of its own class.
      const cls: VariantClass = b.word ? "orthographic" : "punctuation";
      pushVariant({
        type: "substitution",
        class: cls,
        base: { start: b.start, end: b.end, text: b.text },
        witness: { start: w.start, end: w.end, text: w.text },
      });
    }
    pb = i + 1;
    pw = j + 1;
  }
  gap(bt.length, wt.length);

  const variants = findTranspositions(mergeContractions(raw, base, witness), norm);
  const lacunae: Lacuna[] = [];
  const unaligned: Unaligned[] = [];
  let kept = variants;
  const firstPaired = pairs.length > 0 ? (wt[(pairs[0] as [number, number])[1]] as Token).start : null;
  const lastPaired = pairs.length > 0 ? (wt[(pairs.at(-1) as [number, number])[1]] as Token).end : null;
  const firstPairedBase = pairs.length > 0 ? (bt[(pairs[0] as [number, number])[0]] as Token).start : null;
  const lastPairedBase = pairs.length > 0 ? (bt[(pairs.at(-1) as [number, number])[0]] as Token).end : null;
  // Before the witness's first aligned word, or after its last, and in another paragraph of the base than
  // that word: the witness has no text there, whatever it says at that point (a remark before the text).
  const beyondEdge = (v: Variant) =>
    (firstPairedBase !== null &&
      v.witness.end <= (firstPaired ?? Number.POSITIVE_INFINITY) &&
      base.slice(v.base.end, firstPairedBase).includes("\n\n")) ||
    (lastPairedBase !== null &&
      v.witness.start >= (lastPaired ?? -1) &&
      base.slice(lastPairedBase, v.base.start).includes("\n\n"));
  if (options.partial) {
    const minWords = options.lacunaWords ?? 25;
    kept = [];
    for (const v of variants) {
      const words = v.base.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
      // Where the witness begins later or ends earlier than the base, it lacks that stretch, however short.
      const atEdge =
        (v.type === "omission" &&
          (v.base.start <= (bt[0]?.start ?? 0) || v.base.end >= (bt.at(-1)?.end ?? baseRange[1]))) ||
        // A long stretch of base replaced before the witness's first aligned word or after its last:
        // the witness lacks it, and what it has there aligns with nothing.
        (v.type === "substitution" &&
          v.class === "substantive" &&
          words >= minWords &&
          (v.witness.end <= (firstPaired ?? Number.POSITIVE_INFINITY) ||
            v.witness.start >= (lastPaired ?? -1))) ||
        (v.type === "substitution" && beyondEdge(v));
      if (
        atEdge ||
        ((v.type === "omission" || v.type === "substitution") &&
          words >= minWords &&
          v.witness.text.length < v.base.text.length / 4)
      ) {
        lacunae.push({ base: v.base, witnessAt: v.witness.start });
        // What the witness has where it lacks the base aligns with nothing: reported, not placed.
        if (v.type === "substitution" && v.witness.text.trim())
          unaligned.push({ witness: v.witness, baseAt: v.base.start });
      } else if (
        v.class === "addition" &&
        (v.witness.end <= (firstPaired ?? Number.POSITIVE_INFINITY) || v.witness.start >= (lastPaired ?? -1))
      ) {
        // Before the witness's first aligned word or after its last: nothing says where it belongs.
        unaligned.push({ witness: v.witness, baseAt: v.base.start });
      } else kept.push(v);
    }
  }
  kept.sort((a, b) => a.base.start - b.base.start || a.witness.start - b.witness.start);
  // Segments for a side-by-side view: equal stretches between variants (and lacunae).
  let cb = baseRange[0];
  let cw = witnessRange[0];
  const events = [
    ...kept.map((v, index) => ({ base: v.base, witness: v.witness, index })),
    ...lacunae.map((l) => ({
      base: l.base,
      // The witness's unaligned text there, if any, is part of neither side's equal stretches.
      witness: unaligned.find((u) => u.baseAt === l.base.start && u.witness.start === l.witnessAt)
        ?.witness ?? {
        start: l.witnessAt,
        end: l.witnessAt,
        text: "",
      },
      index: -1,
    })),
  ].sort((a, b) => a.base.start - b.base.start || a.witness.start - b.witness.start);
  for (const e of events) {
    if (e.base.start > cb || e.witness.start > cw) {
      if (e.base.start >= cb && e.witness.start >= cw) {
        segments.push({
          kind: "equal",
          base: { start: cb, end: e.base.start, text: base.slice(cb, e.base.start) },
          witness: { start: cw, end: e.witness.start, text: witness.slice(cw, e.witness.start) },
        });
      }
    }
    if (e.index >= 0) segments.push({ kind: "variant", index: e.index });
    cb = Math.max(cb, e.base.end);
    cw = Math.max(cw, e.witness.end);
  }
  if (cb < baseRange[1] || cw < witnessRange[1]) {
    segments.push({
      kind: "equal",
      base: { start: cb, end: baseRange[1], text: base.slice(cb, baseRange[1]) },
      witness: { start: cw, end: witnessRange[1], text: witness.slice(cw, witnessRange[1]) },
    });
  }
  return { variants: kept, lacunae, unaligned, segments };
}

/**
 * Drops chance matches from an alignment of a partial witness: a run of fewer than three aligned words
 * counts only if it lies within a few words (on both sides) of a run that counts, so that the "the"s and
 * "of"s of a remark matched inside a paragraph the witness lacks are no evidence that it has it.
 */
function withoutChanceMatches(pairs: [number, number][], minRun = 3, near = 8): [number, number][] {
  const runs: [number, number][][] = [];
  for (const p of pairs) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && p[0] === last[0] + 1 && p[1] === last[1] + 1) run.push(p);
    else runs.push([p]);
  }
  const kept = runs.map((r) => r.length >= minRun);
  const distance = (x: [number, number][], y: [number, number][]) => {
    const [first, second] = (x[0] as [number, number])[0] < (y[0] as [number, number])[0] ? [x, y] : [y, x];
    const end = first.at(-1) as [number, number];
    const start = second[0] as [number, number];
    return Math.max(start[0] - end[0], start[1] - end[1]);
  };
  // A short run near a counted one counts too (a word between two variants), outward from the long runs.
  for (let changed = true; changed; ) {
    changed = false;
    runs.forEach((run, k) => {
      if (kept[k]) return;
      const neighbours = [k - 1, k + 1].filter((j) => j >= 0 && j < runs.length && kept[j]);
      if (neighbours.some((j) => distance(run, runs[j] as [number, number][]) <= near)) {
        kept[k] = true;
        changed = true;
      }
    });
  }
  return runs.filter((_, k) => kept[k]).flat();
}

/** Pairs an omission with an addition of the same words elsewhere: one moved phrase, one transposition. */
function findTranspositions(variants: Variant[], norm: (t: string) => string): Variant[] {
  const words = (text: string) => (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).map(norm);
  // Candidates indexed by their words in sorted order: a moved phrase keeps its words, maybe not their order.
  const keyOf = (v: Variant) => {
    const w = words(v.type === "omission" ? v.base.text : v.witness.text);
    const significant = w.length >= 2 || (w[0]?.length ?? 0) >= 5;
    return significant ? [...w].sort().join(" ") : null;
  };
  const waiting = new Map<string, number[]>();
  const keys: (string | null)[] = variants.map((v) =>
    v.type === "omission" || v.type === "addition" ? keyOf(v) : null,
  );
  const partner = new Map<number, number>();
  keys.forEach((k, i) => {
    if (k === null) return;
    const kind = (variants[i] as Variant).type;
    const slot = `${kind === "omission" ? "addition" : "omission"}\u0000${k}`;
    const queue = waiting.get(slot);
    if (queue && queue.length > 0) {
      const j = queue.shift() as number;
      partner.set(i, j);
      partner.set(j, i);
    } else {
      const own = `${kind}\u0000${k}`;
      waiting.set(own, [...(waiting.get(own) ?? []), i]);
    }
  });
  const out: Variant[] = [];
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i] as Variant;
    const j = partner.get(i);
    if (j === undefined) {
      out.push(v);
      continue;
    }
    if (j < i) continue;
    const o = variants[j] as Variant;
    const omission = v.type === "omission" ? v : o;
    const addition = v.type === "omission" ? o : v;
    out.push({
      type: "transposition",
      class: "transposition",
      base: omission.base,
      witness: addition.witness,
    });
  }
  return out;
}

/** The `npx variorum collate --json` form: the variants only, as the issue specifies them. */
export function variantsJson(c: Collation): { type: VariantKind; base: Span; witness: Span }[] {
  return c.variants.map((v) => ({ type: v.type, base: v.base, witness: v.witness }));
}
