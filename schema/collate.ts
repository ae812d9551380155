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
 * - For a partial witness, long stretches it lacks are lacunae, not omissions.
 * - The result does not depend on which text comes first: the texts are put in a canonical order before
 *   aligning and the result is mirrored back, so swapping them gives exactly the mirrored variants.
 *
 * Offsets are JavaScript string indices (UTF-16 code units), end exclusive.
 */

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

export interface Collation {
  variants: Variant[];
  lacunae: Lacuna[];
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

interface Token {
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

function normaliser(n: Normalisation): (text: string) => string {
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
    if (n.spelling && t.length > 4) for (const [re, to] of SPELLING) t = t.replace(re, to);
    return t;
  };
}

function tokenize(text: string, from: number, to: number, norm: (t: string) => string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = from;
  const slice = text.slice(0, to);
  for (let m = TOKEN.exec(slice); m; m = TOKEN.exec(slice)) {
    const word = /[\p{L}\p{N}]/u.test(m[0]);
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length, norm: norm(m[0]), word });
  }
  return out;
}

/** Aligned index pairs of two sequences (equal elements), in order. */
export function alignSequences(a: readonly string[], b: readonly string[]): [number, number][] {
  const pairs: [number, number][] = [];
  const rec = (a0: number, a1: number, b0: number, b1: number, depth: number) => {
    // Common prefix and suffix.
    while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) pairs.push([a0++, b0++]);
    const tail: [number, number][] = [];
    while (a1 > a0 && b1 > b0 && a[a1 - 1] === b[b1 - 1]) tail.push([--a1, --b1]);
    if (a0 < a1 && b0 < b1) {
      const anchors = depth < 64 ? uniqueAnchors(a, b, a0, a1, b0, b1) : [];
      if (anchors.length > 0) {
        let pa = a0;
        let pb = b0;
        for (const [i, j] of anchors) {
          rec(pa, i, pb, j, depth + 1);
          pairs.push([i, j]);
          pa = i + 1;
          pb = j + 1;
        }
        rec(pa, a1, pb, b1, depth + 1);
      } else {
        for (const p of myers(a, b, a0, a1, b0, b1)) pairs.push(p);
      }
    }
    for (let k = tail.length - 1; k >= 0; k--) pairs.push(tail[k] as [number, number]);
  };
  rec(0, a.length, 0, b.length, 0);
  return pairs;
}

/** Elements occurring exactly once in both ranges, matched, reduced to their longest increasing run. */
function uniqueAnchors(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): [number, number][] {
  const count = new Map<string, { a: number; ai: number; b: number; bi: number }>();
  for (let i = a0; i < a1; i++) {
    const c = count.get(a[i] as string) ?? { a: 0, ai: -1, b: 0, bi: -1 };
    c.a++;
    c.ai = i;
    count.set(a[i] as string, c);
  }
  for (let j = b0; j < b1; j++) {
    const c = count.get(b[j] as string);
    if (!c) continue;
    c.b++;
    c.bi = j;
  }
  const matches: [number, number][] = [];
  for (const c of count.values()) if (c.a === 1 && c.b === 1) matches.push([c.ai, c.bi]);
  if (matches.length === 0) {
    // No word is unique (a text that repeats itself): match the k-th occurrence in one with the k-th in
    // the other, for words that occur equally often on both sides.
    const where = new Map<string, { a: number[]; b: number[] }>();
    for (let i = a0; i < a1; i++) {
      const w = where.get(a[i] as string) ?? { a: [], b: [] };
      w.a.push(i);
      where.set(a[i] as string, w);
    }
    for (let j = b0; j < b1; j++) where.get(b[j] as string)?.b.push(j);
    for (const w of where.values()) {
      if (w.a.length === w.b.length && w.a.length <= 5000)
        for (let k = 0; k < w.a.length; k++) matches.push([w.a[k] as number, w.b[k] as number]);
    }
  }
  if (matches.length === 0) {
    // Still none (a short witness against a long stretch of the base, whose every word recurs there):
    // words unique in the shorter side, each matched to its next occurrence in the longer side.
    const aShort = a1 - a0 <= b1 - b0;
    const [s0, s1, l0, l1] = aShort ? [a0, a1, b0, b1] : [b0, b1, a0, a1];
    const short = aShort ? a : b;
    const long = aShort ? b : a;
    const seen = new Map<string, number>();
    for (let i = s0; i < s1; i++) seen.set(short[i] as string, (seen.get(short[i] as string) ?? 0) + 1);
    let at = l0;
    for (let i = s0; i < s1 && at < l1; i++) {
      if (seen.get(short[i] as string) !== 1) continue;
      let j = at;
      while (j < l1 && long[j] !== short[i]) j++;
      if (j < l1) {
        matches.push(aShort ? [i, j] : [j, i]);
        at = j + 1;
      }
    }
  }
  matches.sort((x, y) => x[0] - y[0]);
  // Longest increasing subsequence on the b indexes (patience sorting), O(n log n).
  const tails: number[] = [];
  const prev: number[] = new Array(matches.length).fill(-1);
  const tailIdx: number[] = [];
  for (let k = 0; k < matches.length; k++) {
    const bj = (matches[k] as [number, number])[1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] as number) < bj) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = bj;
    tailIdx[lo] = k;
    prev[k] = lo > 0 ? (tailIdx[lo - 1] as number) : -1;
  }
  const out: [number, number][] = [];
  for (let k = tailIdx[tails.length - 1] ?? -1; k >= 0; k = prev[k] as number)
    out.push(matches[k] as [number, number]);
  return out.reverse();
}

/** Myers' O((N+M)D) diff on a range; gives up (no pairs) past a bound on D, leaving one substitution. */
function myers(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): [number, number][] {
  const n = a1 - a0;
  const m = b1 - b0;
  const max = Math.min(n + m, 2000);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return [];
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const prevK =
      k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number))
        ? k + 1
        : k - 1;
    const px = vd[offset + prevK] as number;
    const py = px - prevK;
    while (x > px && y > py) pairs.push([a0 + --x, b0 + --y]);
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) pairs.push([a0 + --x, b0 + --y]);
  return pairs.reverse();
}

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
  const bt = tokenize(base, baseRange[0], baseRange[1], norm);
  const wt = tokenize(witness, witnessRange[0], witnessRange[1], norm);
  // Words are aligned first (all tokens, when punctuation is not normalised away).
  const bw = n.punctuation ? bt.map((_, i) => i).filter((i) => (bt[i] as Token).word) : bt.map((_, i) => i);
  const ww = n.punctuation ? wt.map((_, i) => i).filter((i) => (wt[i] as Token).word) : wt.map((_, i) => i);
  const pairs = alignSequences(
    bw.map((i) => (bt[i] as Token).norm),
    ww.map((i) => (wt[i] as Token).norm),
  ).map(([i, j]) => [bw[i] as number, ww[j] as number] as [number, number]);

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
        pushVariant({
          type,
          class: "punctuation",
          base: span(base, bs, mb, b1, at(bs, mb, baseSpan.end)),
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

  const variants = findTranspositions(raw, norm);
  const lacunae: Lacuna[] = [];
  let kept = variants;
  if (options.partial) {
    const minWords = options.lacunaWords ?? 25;
    kept = [];
    for (const v of variants) {
      const words = v.base.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
      // Where the witness begins later or ends earlier than the base, it lacks that stretch, however short.
      const atEdge =
        v.type === "omission" &&
        (v.base.start <= (bt[0]?.start ?? 0) || v.base.end >= (bt.at(-1)?.end ?? baseRange[1]));
      if (
        atEdge ||
        ((v.type === "omission" || v.type === "substitution") &&
          words >= minWords &&
          v.witness.text.length < v.base.text.length / 4)
      ) {
        lacunae.push({ base: v.base, witnessAt: v.witness.start });
        if (v.type === "substitution" && v.witness.text.trim()) {
          kept.push({
            type: "addition",
            class: "addition",
            base: { start: v.base.start, end: v.base.start, text: "" },
            witness: v.witness,
          });
        }
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
      witness: { start: l.witnessAt, end: l.witnessAt, text: "" },
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
  return { variants: kept, lacunae, segments };
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
