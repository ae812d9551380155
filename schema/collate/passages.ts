/**
 * Which paragraphs of the base each paragraph of a witness collates with, for the *witness beside base*
 * view: by the collation's aligned stretches (equal text, and substitutions, which pair the two sides'
 * words), and by the apparatus's readings of the witness (a translation's paragraph, whose words align
 * with none of the base's, is paired through the entry that gives it as the reading of a lemma). Pure.
 */
import type { Collation } from "./types.ts";

/** A paragraph of a text, by its offsets (end exclusive). */
export interface Passage {
  start: number;
  end: number;
}

/** An entry's reading of the witness: the stretch of the base its lemma stands on, and the words. */
export interface PassageReading {
  base: Passage;
  text: string;
}

/** Splits a plain text (paragraphs joined by blank lines, as `witnessText` and `plainMap` give them) into paragraphs. */
export function passagesOf(text: string): Passage[] {
  const out: Passage[] = [];
  const re = /\n[ \t]*\n/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (text.slice(at, m.index).trim()) out.push({ start: at, end: m.index });
    at = m.index + m[0].length;
  }
  if (text.slice(at).trim()) out.push({ start: at, end: text.length });
  return out;
}

/** The longest substitution (in characters, each side, within a paragraph) that pairs its two sides. */
const SHORT = 60;

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * For each witness paragraph, the indices of the base paragraphs it collates with, in order (empty:
 * nothing of it aligns). A base paragraph counts where it holds at least a quarter of the aligned
 * letters of the best one, so that a word matched by chance does not pull the view away.
 */
export function passagePairs(
  base: Passage[],
  witness: Passage[],
  collation: Collation,
  witnessText: string,
  readings: PassageReading[] = [],
): number[][] {
  const weights = witness.map(() => new Map<number, number>());
  const paragraphAt = (list: Passage[], offset: number) => {
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = list[mid] as Passage;
      if (offset < p.start) hi = mid - 1;
      else if (offset >= p.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  const add = (w: number, b: number, n: number) => {
    if (w < 0 || b < 0) return;
    const m = weights[w] as Map<number, number>;
    m.set(b, (m.get(b) ?? 0) + n);
  };
  // Walk an aligned pair of stretches character by character in step (their lengths may differ).
  const pair = (bs: number, be: number, ws: number, we: number, squared = true) => {
    const bl = be - bs;
    const wl = we - ws;
    if (bl <= 0 || wl <= 0) return;
    const steps = Math.max(bl, wl);
    const stride = Math.max(1, Math.floor(steps / 64));
    for (let k = 0; k < steps; k += stride) {
      const b = bs + Math.floor((k * bl) / steps);
      const w = ws + Math.floor((k * wl) / steps);
      // Weighed by the stretch's length as well: a long run of shared words counts for more than
      // many short ones ("the", "and") matched by chance.
      add(paragraphAt(witness, w), paragraphAt(base, b), squared ? stride * steps : stride);
    }
  };
  // Equal words pair; so do a transposition's words (the same words, each where its text has them) and
  // a short substitution between aligned words. A long one (a translation against the original, a
  // passage rewritten) pairs nothing by itself: its words have nothing in common.
  const letters = /[\p{L}\p{N}]/u;
  for (const s of collation.segments)
    if (s.kind === "equal" && letters.test(s.base.text))
      pair(s.base.start, s.base.end, s.witness.start, s.witness.end);
  for (const v of collation.variants) {
    const short = [v.base, v.witness].every(
      (side) => side.end - side.start <= SHORT && !/\n\s*\n/.test(side.text),
    );
    // A substitution is weaker evidence than shared words: its length counts, not squared.
    if (v.type === "transposition") pair(v.base.start, v.base.end, v.witness.start, v.witness.end);
    else if (v.type === "substitution" && short)
      pair(v.base.start, v.base.end, v.witness.start, v.witness.end, false);
  }
  // A reading pairs the witness paragraphs it holds whole (a reading may run over several), and the
  // witness paragraph that holds it as whole words — when that is one paragraph only: a short reading
  // ("a", "the") found in many paragraphs says nothing about which one it is.
  const squashed = witness.map((p) => squash(witnessText.slice(p.start, p.end)));
  for (const r of readings) {
    const words = squash(r.text);
    if (!words) continue;
    const bs = paragraphAt(base, r.base.start);
    const be = paragraphAt(base, Math.max(r.base.start, r.base.end - 1));
    const held = squashed.flatMap((here, w) => (here && ` ${words} `.includes(` ${here} `) ? [w] : []));
    const holding = squashed.flatMap((here, w) => (here && ` ${here} `.includes(` ${words} `) ? [w] : []));
    const paired = new Set([...held, ...(holding.length === 1 ? holding : [])]);
    // A person's entry outweighs any alignment found by the machine.
    for (const w of paired) for (let b = bs; b >= 0 && b <= be; b++) add(w, b, 1e12);
  }
  return weights.map((m) => {
    const best = Math.max(0, ...m.values());
    return [...m.entries()]
      .filter(([, n]) => n * 4 >= best && n > 0)
      .map(([b]) => b)
      .sort((a, b) => a - b);
  });
}

/** The reverse: for each base paragraph, the witness paragraphs that collate with it. */
export function basePairs(pairs: number[][], baseCount: number): number[][] {
  const out: number[][] = Array.from({ length: baseCount }, () => []);
  pairs.forEach((bs, w) => {
    for (const b of bs) out[b]?.push(w);
  });
  return out;
}
