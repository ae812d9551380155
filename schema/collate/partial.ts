/**
 * A partial witness: what it lacks is a lacuna, not an omission, and text of it that aligns with nothing
 * (a transcriber's remark, a newspaper's heading) is unaligned, for a person to place, never attached to
 * the nearest word; a few words matched by chance inside such a stretch are not an alignment. Pure.
 */
import type { Token } from "./tokens.ts";
import type { Lacuna, Unaligned, Variant } from "./types.ts";

/**
 * Drops chance matches from an alignment of a partial witness: a run of fewer than three aligned words
 * counts only if it lies within a few words (on both sides) of a run that counts, so that the "the"s and
 * "of"s of a remark matched inside a paragraph the witness lacks are no evidence that it has it.
 */
export function withoutChanceMatches(pairs: [number, number][], minRun = 3, near = 8): [number, number][] {
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

/** Sorts a partial witness's variants into those kept, its lacunae and its unaligned text. */
export function lacunaeOf(
  variants: Variant[],
  base: string,
  bt: Token[],
  wt: Token[],
  pairs: [number, number][],
  baseEnd: number,
  minWords: number,
): { kept: Variant[]; lacunae: Lacuna[]; unaligned: Unaligned[] } {
  const lacunae: Lacuna[] = [];
  const unaligned: Unaligned[] = [];
  const kept: Variant[] = [];
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
  for (const v of variants) {
    const words = v.base.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    // Where the witness begins later or ends earlier than the base, it lacks that stretch, however short.
    const atEdge =
      (v.type === "omission" &&
        (v.base.start <= (bt[0]?.start ?? 0) || v.base.end >= (bt.at(-1)?.end ?? baseEnd))) ||
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
  return { kept, lacunae, unaligned };
}
