/**
 * Transpositions: words the base has in one place and the witness in another. After the order-keeping
 * alignment, what is left over as pure omissions and pure additions (words on one side, none on the
 * other) is matched again, in runs of the same words: within a paragraph, any run of any length at any
 * distance ("a b" / "b a", "He was agast, so" / "So he was agast"); across paragraphs, only a whole
 * omitted phrase that reappears whole as an addition, of two words or more or one long word, so that an
 * omitted "the" here and an added "the" three paragraphs on are not made one move. A substitution's
 * words are never taken for a move (CollateX aligns "a black cat in a white basket" / "a white cat in a
 * black basket" as two substitutions too). Pure.
 */
import type { Token } from "./tokens.ts";
import type { Span, Variant } from "./types.ts";

/** A stretch between two aligned words: token ranges on each side, end exclusive. */
export interface Gap {
  b0: number;
  b1: number;
  w0: number;
  w1: number;
}

export interface Moves {
  /** Base token indexes inside a moved run (its words and the marks between them). */
  base: Set<number>;
  witness: Set<number>;
  transpositions: Variant[];
}

interface Candidate {
  token: number;
  gap: number;
  paragraph: number;
  /** Where the other text would have these words (its offset at the gap). */
  otherAt: number;
}

/** Paragraph numbers of offsets in a text: paragraphs are separated by a blank line. */
function paragraphIndex(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf("\n\n"); i >= 0; i = text.indexOf("\n\n", i + 2)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((breaks[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Finds the moved runs among the gaps of an alignment. `eligible` says whether a gap may give words to
 * a move at all (a partial witness's lacunae and edges may not).
 */
export function findMoves(
  base: string,
  witness: string,
  bt: Token[],
  wt: Token[],
  gaps: Gap[],
  ranges: { base: [number, number]; witness: [number, number] },
  eligible: (g: Gap) => boolean = () => true,
): Moves {
  const para = paragraphIndex(base);
  const omitted: Candidate[] = [];
  const added: Candidate[] = [];
  gaps.forEach((g, gi) => {
    if (!eligible(g)) return;
    const bWords: number[] = [];
    const wWords: number[] = [];
    for (let i = g.b0; i < g.b1; i++) if ((bt[i] as Token).word) bWords.push(i);
    for (let j = g.w0; j < g.w1; j++) if ((wt[j] as Token).word) wWords.push(j);
    const baseAt = g.b0 > 0 ? (bt[g.b0 - 1] as Token).end : ranges.base[0];
    const witnessAt = g.w0 > 0 ? (wt[g.w0 - 1] as Token).end : ranges.witness[0];
    if (bWords.length > 0 && wWords.length === 0) {
      for (const i of bWords)
        omitted.push({ token: i, gap: gi, paragraph: para((bt[i] as Token).start), otherAt: witnessAt });
    } else if (wWords.length > 0 && bWords.length === 0) {
      // The base paragraph the addition falls in: the previous word's, unless a paragraph break of the
      // witness comes between them (then the next word's).
      const first = wt[wWords[0] as number] as Token;
      const breakBefore =
        g.w0 > 0 && witness.slice((wt[g.w0 - 1] as Token).end, first.start).includes("\n\n");
      const p =
        g.b0 > 0 && !(breakBefore && g.b1 < bt.length)
          ? para((bt[g.b0 - 1] as Token).start)
          : para(g.b1 < bt.length ? (bt[g.b1] as Token).start : baseAt);
      for (const j of wWords) added.push({ token: j, gap: gi, paragraph: p, otherAt: baseAt });
    }
  });
  const usedO = new Array<boolean>(omitted.length).fill(false);
  const usedA = new Array<boolean>(added.length).fill(false);
  const moves: Moves = { base: new Set(), witness: new Set(), transpositions: [] };
  const next = (list: Candidate[], k: number) =>
    k + 1 < list.length && (list[k + 1] as Candidate).gap === (list[k] as Candidate).gap;
  const accept = (k: number, m: number, len: number, across: boolean) => {
    const o0 = omitted[k] as Candidate;
    const o1 = omitted[k + len - 1] as Candidate;
    const a0 = added[m] as Candidate;
    const a1 = added[m + len - 1] as Candidate;
    for (let x = 0; x < len; x++) {
      usedO[k + x] = true;
      usedA[m + x] = true;
    }
    for (let i = o0.token; i <= o1.token; i++) moves.base.add(i);
    for (let j = a0.token; j <= a1.token; j++) moves.witness.add(j);
    const sb = bt[o0.token] as Token;
    const eb = bt[o1.token] as Token;
    const sw = wt[a0.token] as Token;
    const ew = wt[a1.token] as Token;
    const bSpan: Span = { start: sb.start, end: eb.end, text: base.slice(sb.start, eb.end) };
    const wSpan: Span = { start: sw.start, end: ew.end, text: witness.slice(sw.start, ew.end) };
    moves.transpositions.push({
      type: "transposition",
      class: "transposition",
      base: bSpan,
      witness: wSpan,
      moved: { base: a0.otherAt, witness: o0.otherAt, acrossParagraphs: across },
    });
  };

  // The longest runs of the same words first, the nearest first among equals. Within a paragraph any
  // run counts; across paragraphs, a run of three words or more, or a whole omitted phrase that comes
  // back whole (two words or more, or one long word).
  const wholeGap = (list: Candidate[], k: number, len: number) =>
    (k === 0 || !next(list, k - 1)) && !next(list, k + len - 1);
  const acrossOk = (k: number, m: number, len: number) => {
    if (len >= 3) return true;
    const long = len >= 2 || ((bt[(omitted[k] as Candidate).token] as Token).norm.length ?? 0) >= 5;
    return long && wholeGap(omitted, k, len) && wholeGap(added, m, len);
  };
  for (let round = 0; round < 8; round++) {
    const byKey = new Map<string, number[]>();
    const add = (key: string, m: number) => {
      const list = byKey.get(key);
      if (list) list.push(m);
      else byKey.set(key, [m]);
    };
    added.forEach((a, m) => {
      if (usedA[m]) return;
      const norm = (wt[a.token] as Token).norm;
      add(`${a.paragraph}\u0000${norm}`, m);
      add(`*\u0000${norm}`, m);
    });
    const runs: { k: number; m: number; len: number; across: boolean; distance: number }[] = [];
    const equal = (x: number, y: number) =>
      !usedO[x] &&
      !usedA[y] &&
      (bt[(omitted[x] as Candidate).token] as Token).norm ===
        (wt[(added[y] as Candidate).token] as Token).norm;
    const seen = new Set<string>();
    omitted.forEach((o, k) => {
      if (usedO[k]) return;
      const norm = (bt[o.token] as Token).norm;
      for (const key of [`${o.paragraph}\u0000${norm}`, `*\u0000${norm}`]) {
        const seeds = byKey.get(key);
        if (!seeds || seeds.length > 200) continue;
        for (const m of seeds) {
          if (seen.has(`${k},${m}`)) continue;
          seen.add(`${k},${m}`);
          const across = o.paragraph !== (added[m] as Candidate).paragraph;
          const same = (x: number, y: number) =>
            equal(x, y) &&
            ((omitted[x] as Candidate).paragraph === (added[y] as Candidate).paragraph) === !across;
          // Only maximal runs: not one that the previous pair of words would extend.
          if (k > 0 && m > 0 && next(omitted, k - 1) && next(added, m - 1) && same(k - 1, m - 1)) continue;
          let len = 1;
          while (next(omitted, k + len - 1) && next(added, m + len - 1) && same(k + len, m + len)) len++;
          if (across && !acrossOk(k, m, len)) continue;
          const a = added[m] as Candidate;
          runs.push({ k, m, len, across, distance: Math.abs((bt[o.token] as Token).start - a.otherAt) });
        }
      }
    });
    runs.sort((x, y) => y.len - x.len || x.distance - y.distance || x.k - y.k || x.m - y.m);
    let accepted = 0;
    for (const r of runs) {
      let free = true;
      for (let x = 0; x < r.len && free; x++) if (usedO[r.k + x] || usedA[r.m + x]) free = false;
      if (!free) continue;
      accept(r.k, r.m, r.len, r.across);
      accepted++;
    }
    if (accepted === 0) break;
  }

  // A whole omitted phrase that reappears whole with its words in another order is one move too.
  const wholeGaps = (list: Candidate[], used: boolean[], tokens: Token[]) => {
    const out = new Map<string, { start: number; len: number }[]>();
    for (let k = 0; k < list.length; ) {
      let len = 1;
      while (next(list, k + len - 1)) len++;
      const all = used.slice(k, k + len).every((u) => !u);
      const words = list.slice(k, k + len).map((c) => (tokens[c.token] as Token).norm);
      if (all && words.length >= 2) {
        const key = [...words].sort().join(" ");
        out.set(key, [...(out.get(key) ?? []), { start: k, len }]);
      }
      k += len;
    }
    return out;
  };
  const aGaps = wholeGaps(added, usedA, wt);
  for (const [key, os] of wholeGaps(omitted, usedO, bt)) {
    const as = aGaps.get(key);
    if (!as) continue;
    for (let x = 0; x < Math.min(os.length, as.length); x++) {
      const o = os[x] as { start: number; len: number };
      const a = as[x] as { start: number; len: number };
      const across = (omitted[o.start] as Candidate).paragraph !== (added[a.start] as Candidate).paragraph;
      accept(o.start, a.start, o.len, across);
    }
  }
  return moves;
}
