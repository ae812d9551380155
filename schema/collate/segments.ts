/** The aligned stretches of a collation for a side-by-side view: equal text between variants and lacunae. Pure. */
import type { Lacuna, Segment, Unaligned, Variant } from "./types.ts";

const point = (at: number) => ({ start: at, end: at, text: "" });

export function segmentsOf(
  base: string,
  witness: string,
  kept: Variant[],
  lacunae: Lacuna[],
  unaligned: Unaligned[],
  baseRange: [number, number],
  witnessRange: [number, number],
): Segment[] {
  const segments: Segment[] = [];
  let cb = baseRange[0];
  let cw = witnessRange[0];
  const events = [
    // A transposition stands at two places: the base's words (against a point of the witness), and the
    // witness's (against a point of the base), so that the equal stretches between stay in line.
    ...kept.flatMap((v, index) =>
      v.moved
        ? [
            { base: v.base, witness: point(v.moved.witness), index },
            { base: point(v.moved.base), witness: v.witness, index },
          ]
        : [{ base: v.base, witness: v.witness, index }],
    ),
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
  return segments;
}
