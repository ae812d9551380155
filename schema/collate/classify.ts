/**
 * What kind of difference a substitution is, for a reviewer's filter: capitals only, or a near match
 * of spelling ("agast"/"aghast", "Miasnikov"/"Myasnikov"), is orthographic; marks only is punctuation;
 * only a change of words is substantive. Pure.
 */
import type { VariantClass } from "./types.ts";

const WORDS = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Levenshtein distance, with a bound past which it stops counting (returns bound + 1). */
export function editDistance(a: string, b: string, bound = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > bound) return bound + 1;
    prev = row;
  }
  return prev[b.length] as number;
}

// An ending added or dropped changes the word's grammar (Soviet/Soviets, work/worked), not its spelling.
const INFLECTION = /^(?:s|es|'s|’s|d|ed|ing|er|est|ly)$/;

/** Whether two words are one word spelt two ways: within `threshold` edits per letter, not an ending. */
export function nearMatch(a: string, b: string, threshold: number): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  // Capitals alone are always a matter of spelling.
  if (x === y) return true;
  if (threshold <= 0) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (long.startsWith(short) && INFLECTION.test(long.slice(short.length))) return false;
  const bound = Math.floor(long.length * threshold);
  return bound >= 1 && editDistance(x, y, bound) <= bound;
}

/** The class of a substitution of `base` by `witness` (both non-empty stretches of text). */
export function classifySubstitution(base: string, witness: string, threshold: number): VariantClass {
  const bw = base.match(WORDS) ?? [];
  const ww = witness.match(WORDS) ?? [];
  if (bw.length === 0 && ww.length === 0) return "punctuation";
  if (bw.length !== ww.length) return "substantive";
  const same = bw.every((w, i) => w === ww[i]);
  if (same) return "punctuation";
  const alike = bw.every((w, i) => nearMatch(w, ww[i] as string, threshold));
  return alike ? "orthographic" : "substantive";
}
