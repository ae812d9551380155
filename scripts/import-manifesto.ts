/**
 * Imports the ICC's English text of the Manifesto (International Review) from its web page (`sources/`) into
 * `editions/manifesto/ICC.txt`, in the witness text format, with its provenance.
 *
 * Run once by hand (`npx tsx scripts/import-manifesto.ts`); the result is committed. Nothing here edits a
 * word: lines are copied whole; only their role (heading, paragraph, ICC remark, ICC note) is decided,
 * by the rules written out below, and `tests/unit/manifesto-text.test.ts` checks the result against the
 * seed line by line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatWitnessText, type TextBlock } from "../schema/textformat.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** A plain-text copy of the ICC's web page, kept in `sources/` (see its README). */
export const SEED = "sources/icc-ir142-manifesto-part1.txt";

/** The Manifesto's section headings, as the ICC prints them. Every other line is a paragraph. */
export const HEADINGS = [
  "By way of a preface",
  "To the communist comrades of every country!",
  "Sauls and Pauls in the Russian revolution",
  "The principal tasks for today",
];
const FIRST = "By way of a preface";
const LAST = "We now turn to the issue of the united front.";
const ASTERISM = "* * *";

function main(): void {
  const seed = readFileSync(join(root, SEED), "utf8").split("\n");
  const start = seed.indexOf(FIRST);
  const end = seed.indexOf(LAST);
  if (start < 0 || end < 0) throw new Error(`the seed ${SEED} lacks "${FIRST}" or "${LAST}"`);
  const blocks: TextBlock[] = [];
  for (let i = start; i <= end; i++) {
    const line = seed[i] as string;
    if (line === "") continue;
    if (line === ASTERISM) continue; // the ICC's separators frame its own remark, kept as a note below
    if (HEADINGS.includes(line)) blocks.push({ type: "heading", level: 2, text: line });
    else if (line.startsWith("Editor's note: ")) {
      blocks.push({
        type: "note",
        kind: "original",
        resp: "ICC",
        blocks: [{ type: "paragraph", text: line }],
      });
    } else blocks.push({ type: "paragraph", text: line });
  }
  // After the last paragraph the ICC lists the chapters it will publish later: its remark, not the text.
  const listIntro = seed.findIndex((l, i) => i > end && l.startsWith("The rest of the Manifesto"));
  const items: string[] = [];
  for (let i = listIntro + 2; (seed[i] as string).startsWith("  • "); i++)
    items.push((seed[i] as string).slice(4));
  blocks.push({
    type: "note",
    kind: "original",
    resp: "ICC",
    blocks: [
      { type: "paragraph", text: seed[listIntro] as string },
      { type: "list", items },
    ],
  });
  // Of the ICC's numbered notes only [7] is called from inside the Manifesto; [1]-[6] belong to its introduction.
  const note7 = seed.find((l) => l.startsWith("[7]. "));
  if (!note7) throw new Error(`the seed ${SEED} lacks note [7]`);
  const text = formatWitnessText({
    provenance: {
      title:
        "The Communist Left in Russia: Manifesto of the Workers' Group of the Russian Communist Party (Part 1)",
      publication: "International Review (International Communist Current), no. 142",
      date: "2010",
      address: "https://en.internationalism.org/series/1237",
      extra: {
        language: "en",
        translation: "English translation by the ICC from a French text found in the Russian archives",
        source: `the web page above, the Manifesto's text from "${FIRST}" to "${LAST}", the chapter list after it, and note [7]`,
        note:
          "The issue number is inferred: the ICC's Part 4 (International Review 145) says the first three parts " +
          "appeared in the three issues before it, and its Part 3 names no. 143 as Part 2's. The ICC's " +
          "editor's note, its list of later chapters and its note [7] are kept as notes of the ICC (resp=ICC). " +
          'The asterisms ("* * *") that frame the editor\'s note and the chapter list are not kept as text.',
      },
    },
    blocks,
    notes: new Map([["7", note7.slice("[7]. ".length)]]),
  });
  writeFileSync(join(root, "editions/manifesto/ICC.txt"), text);
  console.log(`wrote editions/manifesto/ICC.txt: ${blocks.length} blocks`);
}

main();
