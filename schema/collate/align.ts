/**
 * Alignment of two sequences of words: patience-style anchors (words occurring once in both stretches,
 * their longest increasing run), and Myers' diff between anchors. Pure; ../collate.ts builds variants on it.
 */

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

/** Where each element of `a`'s range occurs in it and in `b`'s range, in order. */
function occurrences(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): Iterable<{ a: number[]; b: number[] }> {
  const where = new Map<string, { a: number[]; b: number[] }>();
  for (let i = a0; i < a1; i++) {
    const w = where.get(a[i] as string) ?? { a: [], b: [] };
    w.a.push(i);
    where.set(a[i] as string, w);
  }
  for (let j = b0; j < b1; j++) where.get(b[j] as string)?.b.push(j);
  return where.values();
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
    for (const w of occurrences(a, b, a0, a1, b0, b1)) {
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
  if (matches.length === 0 && a1 - a0 + (b1 - b0) > 2 * MYERS_MAX_D) {
    // Still none, and too long a stretch for Myers' bound (a text that repeats itself at length, each
    // side a different number of times: the benchmark's 37 copies of the Manifesto against 11): the k-th
    // occurrence of a word in one side with its k-th in the other, so that the repeated text aligns in
    // order from its start rather than not at all.
    for (const w of occurrences(a, b, a0, a1, b0, b1))
      for (let k = 0; k < Math.min(w.a.length, w.b.length); k++)
        matches.push([w.a[k] as number, w.b[k] as number]);
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

/** The largest number of differences Myers' diff looks for before it gives up on a range. */
const MYERS_MAX_D = 2000;

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
  const max = Math.min(n + m, MYERS_MAX_D);
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
