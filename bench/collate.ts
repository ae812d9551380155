/**
 * `npm run bench -- collate`: time of the collator on 1×, 10× and 100× the Manifesto (longer texts made by
 * concatenating the real text), against the `diff` package's `diffWords` on the same inputs in the same
 * run. The witness is the base with scripted edits (one every ~60 words), as in the accuracy test.
 */
import { diffWords } from "diff";
import { collate } from "../schema/collate.ts";
import { witnessText } from "../schema/witnessText.ts";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { syntheticWitness } from "../tests/helpers/synthetic.ts";

function manifesto(): string {
  const r = witnessText(manifestoDoc(), "ICC");
  if (!r.ok) throw new Error(r.reason);
  return r.text;
}

function time<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

export function benchCollate(): void {
  const one = manifesto();
  const words = one.split(/\s+/).length;
  console.log(
    `collation benchmark: base = the Manifesto (${one.length} characters, ${words} words) repeated`,
  );
  console.log("size   chars      collate ms   diffWords ms   diffWords/collate   variants");
  let firstMs = 0;
  let lastMs = 0;
  for (const times of [1, 10, 100]) {
    const base = Array.from({ length: times }, () => one).join("\n\n");
    const { witness } = syntheticWitness(base, 42, Math.round((words * times) / 60));
    collate(base.slice(0, 2000), witness.slice(0, 2000)); // warm up
    const c = time(() => collate(base, witness));
    if (times === 1) firstMs = c.ms;
    lastMs = c.ms;
    // diffWords is quadratic in the number of edits; past this budget it gives up and returns undefined.
    const budget = 120_000;
    const d = time(() => diffWords(base, witness, { timeout: budget }));
    const dMs = d.result === undefined ? null : d.ms;
    console.log(
      `${String(times).padStart(3)}×  ${String(base.length).padStart(9)}  ${c.ms.toFixed(1).padStart(11)}  ${dMs === null ? `>${budget}`.padStart(13) : dMs.toFixed(1).padStart(13)}  ${dMs === null ? `>${(budget / c.ms).toFixed(1)}`.padStart(18) : (dMs / c.ms).toFixed(2).padStart(18)}  ${String(c.result?.variants.length).padStart(9)}`,
    );
  }
  console.log(
    `growth: collate time at 100× is ${(lastMs / firstMs).toFixed(1)}× its time at 1× (linear would be 100×)`,
  );
}
