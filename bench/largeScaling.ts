/**
 * Whether the exports grow linearly with the edition: the same dense edition (`largeEdition.ts`) built at
 * a quarter, a half and the whole of its size, everything in it scaled alike, and each export timed on
 * each (the best of `rounds`, after one unmeasured run). Linear growth is a flat time per 100 k characters
 * across the three; a quadratic step would double it from one size to the next. The ratio against the
 * Manifesto (a small document, warm) cannot show this: it mixes fixed costs and a cache-warm heap in.
 */
import type * as Y from "yjs";
import { largeEdition } from "./largeEdition.ts";

export interface ScalingRow {
  name: string;
  /** Milliseconds per 100 k characters at each size, smallest first. */
  per100k: number[];
  /** Milliseconds at each size. */
  ms: number[];
}

const FULL = {
  characters: 1_000_000,
  entries: 10_000,
  glossLinks: 5_000,
  notes: 1_000,
  threads: 2_000,
  witnessCharacters: 1_000,
};

/** Times each export at a quarter, a half and all of the large edition. */
export async function exportScaling(
  exports: { name: string; run: (doc: Y.Doc) => unknown }[],
  rounds = 3,
  /** Run before each timed run: a garbage collection, so that one run does not pay for the last. */
  settle: () => void = () => {},
): Promise<{ characters: number[]; rows: ScalingRow[] }> {
  const sizes = [0.25, 0.5, 1];
  const characters: number[] = [];
  const times = exports.map(() => [] as number[]);
  for (const f of sizes) {
    // Witness transcriptions are not exported: kept small so that building each size stays quick.
    const edition = largeEdition({
      characters: FULL.characters * f,
      entries: Math.round(FULL.entries * f),
      glossLinks: Math.round(FULL.glossLinks * f),
      notes: Math.round(FULL.notes * f),
      threads: Math.round(FULL.threads * f),
      witnessCharacters: FULL.witnessCharacters,
    });
    characters.push(edition.body.textContent.length);
    for (const [i, e] of exports.entries()) {
      e.run(edition.doc);
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < rounds; r++) {
        settle();
        const start = performance.now();
        await e.run(edition.doc);
        best = Math.min(best, performance.now() - start);
      }
      times[i]?.push(best);
    }
    edition.doc.destroy();
  }
  return {
    characters,
    rows: exports.map((e, i) => ({
      name: e.name,
      ms: times[i] as number[],
      per100k: (times[i] as number[]).map((t, k) => (t / (characters[k] as number)) * 100_000),
    })),
  };
}
