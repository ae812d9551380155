/**
 * `npm run bench -- collate`: time of the collator on 1×, 10× and 100× the Manifesto (longer texts made by
 * concatenating the real text), against the `diff` package's `diffWords` on the same inputs in the same
 * run. The witness is the base with scripted edits (one every ~60 words), as in the accuracy test.
 * Accuracy: transpositions found in CollateX's own test cases (quoted below as data), against the number
 * its tests expect, and the scripted edits of the synthetic witness found, as precision and recall.
 */
import { diffWords } from "diff";
import { collate, collateAll } from "../schema/collate.ts";
import { witnessText } from "../schema/witnessText.ts";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { syntheticWitness } from "../tests/helpers/synthetic.ts";

function manifesto(): string {
  const r = witnessText(manifestoDoc(), "ICC");
  if (!r.ok) throw new Error(r.reason);
  return r.text;
}

/**
 * Test cases of CollateX (github.com/interedition/collatex, collatex-core/src/test/java/eu/interedition/
 * collatex/dekker/), quoted as data with the number of transpositions between two witnesses its tests
 * expect. The witnesses' words are CollateX's, unaltered; `source` names the test file and method.
 */
interface CollatexCase {
  source: string;
  a: string;
  b: string;
  transpositions: number;
}

const COLLATEX_CASES: CollatexCase[] = [
  {
    source: "TranspositionTest.java noTransposition",
    a: "no transposition",
    b: "no transposition",
    transpositions: 0,
  },
  { source: "TranspositionTest.java noTransposition", a: "a b", b: "c a", transpositions: 0 },
  { source: "TranspositionTest.java oneTransposition", a: "a b", b: "b a", transpositions: 1 },
  { source: "TranspositionTest.java multipleTranspositions", a: "a b c", b: "b c a", transpositions: 1 },
  {
    source: "TranspositionGraphTest.java transpositions",
    a: "the black and white cat",
    b: "the white and black cat",
    transpositions: 2,
  },
  {
    source: "TranspositionGraphTest.java testTranspositionLimiter1",
    a: "X a b",
    b: "a b X",
    transpositions: 1,
  },
  {
    source: "TranspositionGraphTest.java testGreekTwoWitnesses",
    a: "και αποκριθεισ ειπεν αυτω ου βλεπεισ ταυτασ μεγαλασ οικοδομασ αμην λεγω σοι ο(υ μη α)φεθη ωδε λιθοσ επι λιθω (οσ ου) μη καταλυθη",
    b: "και αποκριθεισ ο ι̅σ̅ ειπεν αυτω βλεπεισ Ταυτασ τασ μεγαλασ οικοδομασ λεγω υμιν ου μη αφεθη λιθοσ επι λιθου οσ ου μη καταλυθη",
    transpositions: 0,
  },
  {
    source: "TranspositionRenderingTest.java testTranspositionLimiter3",
    a: "X a b c d e f g h i j k l m n o p",
    b: "a b c d e f g h i j k l m n o p X",
    transpositions: 0,
  },
  {
    source: "TranspositionRenderingTest.java testTranspositionLimiter4",
    a: "a b c d e f g h i j k l m n o p X",
    b: "X a b c d e f g h i j k l m n o p",
    transpositions: 0,
  },
  {
    source: "TranspositionRenderingTest.java transposition2 (first and third witness)",
    a: "He was agast, so",
    b: "So he was agast",
    transpositions: 1,
  },
  {
    source: "AlignmentTest.java simpleTransposition",
    a: "A black cat in a white basket",
    b: "A white cat in a black basket",
    transpositions: 0,
  },
  {
    source: "AlignmentTest.java testPhraseMatchingShouldNotIgnoreDeletions",
    a: "Hello cruel world",
    b: "Hello world",
    transpositions: 0,
  },
  {
    source: "AlignmentTest.java testPhraseMatchingShouldNotIgnoreAdditions",
    a: "Hello world",
    b: "Hello cruel world",
    transpositions: 0,
  },
];

/** Transpositions found in CollateX's cases, against those its tests expect. */
function collatexAccuracy(): void {
  let expected = 0;
  let found = 0;
  let right = 0;
  const disagree: string[] = [];
  for (const c of COLLATEX_CASES) {
    const n = collate(c.a, c.b).variants.filter((v) => v.type === "transposition").length;
    expected += c.transpositions;
    found += n;
    right += Math.min(n, c.transpositions);
    if (n !== c.transpositions) disagree.push(`${c.source}: ${n} found, ${c.transpositions} expected`);
  }
  console.log(
    `CollateX's cases (${COLLATEX_CASES.length}): ${expected} transpositions expected, ${found} found; precision ${(right / Math.max(1, found)).toFixed(3)}, recall ${(right / Math.max(1, expected)).toFixed(3)}`,
  );
  for (const d of disagree) console.log(`  differs: ${d}`);
}

function time<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

export function benchCollate(): void {
  collatexAccuracy();
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
  // All witnesses at once against three pairwise runs, on the Manifesto with three synthetic witnesses.
  const three = [5, 6, 7].map((seed) => syntheticWitness(one, seed, Math.round(words / 60)).witness);
  // Each measured five times, interleaved, the median kept: a single run is at the mercy of the collector.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const pairwiseMs: number[] = [];
  const allMs: number[] = [];
  let all = time(() => collateAll("ICC", one, { A: three[0] ?? "", B: three[1] ?? "", C: three[2] ?? "" }));
  for (let k = 0; k < 5; k++) {
    pairwiseMs.push(
      time(() => {
        for (const w of three) collate(one, w);
      }).ms,
    );
    all = time(() => collateAll("ICC", one, { A: three[0] ?? "", B: three[1] ?? "", C: three[2] ?? "" }));
    allMs.push(all.ms);
  }
  const pairwise = { ms: median(pairwiseMs) };
  all = { ...all, ms: median(allMs) };
  console.log(
    `three witnesses at once: ${all.ms.toFixed(1)} ms (${all.result.columns.filter((c) => c.variant).length} variation points), three pairwise runs: ${pairwise.ms.toFixed(1)} ms; at once / pairwise ${(all.ms / pairwise.ms).toFixed(2)}`,
  );
  console.log(
    `growth: collate time at 100× is ${(lastMs / firstMs).toFixed(1)}× its time at 1× (linear would be 100×)`,
  );
}
