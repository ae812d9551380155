import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A synthetic witness made from a real text by known, scripted edits with a fixed seed, for measuring
 * the collator: each edit records what it did and where in the base text.
 */
export type EditKind =
  | "substitution"
  | "omission"
  | "addition"
  | "transposition"
  | "punctuation"
  | "spelling";

export interface ScriptedEdit {
  kind: EditKind;
  /** Character range of the base text the edit touches (for an addition: where it inserts). */
  start: number;
  end: number;
}

/** A small seeded PRNG (mulberry32), so that a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBSTITUTES = [
  "comrades",
  "Soviet",
  "masses",
  "capital",
  "struggle",
  "toilers",
  "vanguard",
  "factory",
  "councils",
  "peasantry",
];
const ADDITIONS = ["indeed", "in truth", "above all", "without doubt", "once again", "in every land"];
const SPELLINGS: [RegExp, (m: string) => string][] = [
  [/\b(\w+)is(e|ed|es|ing|ation)\b/, (m) => m.replace(/is(e|ed|es|ing|ation)$/, "iz$1")],
  [/\blabour\b/, () => "labor"],
  [/\bfavour\b/, () => "favor"],
];

/**
 * Applies `count` edits to `base`, each at least `gap` words from the others, and returns the witness
 * and the edits in base order.
 */
export function syntheticWitness(
  base: string,
  seed: number,
  count: number,
  gap = 12,
): { witness: string; edits: ScriptedEdit[] } {
  const random = rng(seed);
  const words = [...base.matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    text: m[0],
  }));
  const kinds: EditKind[] = [
    "substitution",
    "omission",
    "addition",
    "transposition",
    "punctuation",
    "spelling",
  ];
  const chosen: { at: number; kind: EditKind }[] = [];
  const stride = Math.floor(words.length / count);
  for (let k = 0; k < count; k++) {
    const at = k * stride + Math.floor(random() * Math.max(1, stride - gap));
    chosen.push({ at, kind: kinds[k % kinds.length] as EditKind });
  }
  // Build the witness by replacing stretches of the base, left to right.
  const pieces: string[] = [];
  const edits: ScriptedEdit[] = [];
  let cursor = 0;
  for (const { at, kind } of chosen) {
    const w = words[at];
    const next = words[at + 1];
    if (!w || !next) continue;
    switch (kind) {
      case "substitution": {
        const word = SUBSTITUTES[Math.floor(random() * SUBSTITUTES.length)] as string;
        if (word.toLowerCase() === w.text.toLowerCase()) continue;
        pieces.push(base.slice(cursor, w.start), word);
        cursor = w.end;
        edits.push({ kind, start: w.start, end: w.end });
        break;
      }
      case "omission": {
        const last = words[at + 1] as { end: number };
        pieces.push(base.slice(cursor, w.start));
        cursor = last.end;
        // Drop the space after the omitted words too.
        if (base[cursor] === " ") cursor++;
        edits.push({ kind, start: w.start, end: last.end });
        break;
      }
      case "addition": {
        const added = ADDITIONS[Math.floor(random() * ADDITIONS.length)] as string;
        pieces.push(base.slice(cursor, w.end), ` ${added}`);
        cursor = w.end;
        edits.push({ kind, start: w.end, end: w.end });
        break;
      }
      case "transposition": {
        // Move a two-word phrase three words later.
        const a = w;
        const b = words[at + 1] as { start: number; end: number };
        const target = words[at + 4];
        if (!target) continue;
        const phrase = base.slice(a.start, b.end);
        pieces.push(base.slice(cursor, a.start), base.slice(b.end + 1, target.end), ` ${phrase}`);
        cursor = target.end;
        // Moving a phrase forward past some words is the same as moving those words back: the whole stretch counts.
        edits.push({ kind, start: a.start, end: target.end });
        break;
      }
      case "punctuation": {
        const comma = base.indexOf(",", w.start);
        if (comma < 0 || comma > w.start + 200 || comma < cursor) continue;
        pieces.push(base.slice(cursor, comma), ";");
        cursor = comma + 1;
        edits.push({ kind, start: comma, end: comma + 1 });
        break;
      }
      case "spelling": {
        let done = false;
        for (let k = at; k < at + gap && !done; k++) {
          const c = words[k];
          if (!c || c.start < cursor) continue;
          for (const [re, fix] of SPELLINGS) {
            if (re.test(c.text)) {
              pieces.push(base.slice(cursor, c.start), fix(c.text));
              cursor = c.end;
              edits.push({ kind, start: c.start, end: c.end });
              done = true;
              break;
            }
          }
        }
        break;
      }
    }
  }
  pieces.push(base.slice(cursor));
  return { witness: pieces.join(""), edits };
}

/**
 * A witness file for tests (never a witness of the edition): the ICC text's second and third
 * paragraphs with two scripted changes ("titanic" → "heroic", "civilised" → "civilized"), under a
 * provenance header that says what it is.
 */
export function syntheticWitnessFile(iccText: string, dir: string, address: string): string {
  const text = iccText
    .split("\n\n")
    .slice(1, 3)
    .join("\n\n")
    .replace("titanic struggle", "heroic struggle")
    .replace("the civilised world", "the civilized world");
  const file = join(dir, "synthetic.txt");
  writeFileSync(
    file,
    `Title: Synthetic test witness\nPublication: none (made by the test from the ICC text)\nDate: 2026\nAddress: ${address}\n---\n${text}\n`,
  );
  return file;
}
