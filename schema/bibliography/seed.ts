/**
 * An edition folder's bibliography (`bibliography.json`: a list of CSL-JSON items) and its citations
 * beside the text (`citations.json`: `{glossary|witness|apparatus: {id: [{entry, locator, label}]}}`),
 * checked and written into the edition's first document.
 */
import type * as Y from "yjs";
import * as z from "zod/mini";
import { ROOTS } from "../layout.ts";
import "../validation.ts";
import { addCitation, Citation, type CitingTarget } from "./citations.ts";
import { type CslItem, entryProblem, parseCslItem, setBibEntry } from "./entries.ts";

const SeedCitations = z.object({
  glossary: z._default(z.record(z.string(), z.array(Citation)), {}),
  witness: z._default(z.record(z.string(), z.array(Citation)), {}),
  apparatus: z._default(z.record(z.string(), z.array(Citation)), {}),
});

/** A folder's bibliography and citations, read and checked. */
export interface SeedBibliography {
  items: CslItem[];
  citations: { target: CitingTarget; citation: Citation }[];
}

/**
 * Reads the two files' texts (null: the manifest names none). Errors name the file and the rule; a
 * citation of an entry the bibliography lacks is one.
 */
export function readSeedBibliography(
  files: {
    bibliography: [name: string, text: string | null] | null;
    citations: [name: string, text: string | null] | null;
  },
  /** The ids a citation may be attached to, per kind. */
  targets: Record<CitingTarget["kind"], ReadonlySet<string>>,
  errors: string[],
): SeedBibliography {
  const out: SeedBibliography = { items: [], citations: [] };
  const json = (file: [string, string | null] | null): unknown => {
    if (!file) return undefined;
    const [name, text] = file;
    if (text === null) {
      errors.push(`edition.json names "${name}", which is missing`);
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      errors.push(`${name}: not JSON (${(error as Error).message})`);
      return undefined;
    }
  };
  const items = json(files.bibliography);
  if (items !== undefined) {
    const name = files.bibliography?.[0];
    if (!Array.isArray(items)) errors.push(`${name}: a list of CSL-JSON items is expected`);
    else
      items.forEach((item, i) => {
        const problem = entryProblem(item);
        if (problem) errors.push(`${name}: item ${i + 1}: ${problem}`);
        else out.items.push(parseCslItem(item));
      });
  }
  const cites = json(files.citations);
  if (cites !== undefined) {
    const name = files.citations?.[0];
    const parsed = SeedCitations.safeParse(cites);
    if (!parsed.success) {
      for (const i of parsed.error.issues) errors.push(`${name}: ${i.path.join(".")}: ${i.message}`);
      return out;
    }
    const known = new Set(out.items.map((i) => i.id));
    for (const kind of ["glossary", "witness", "apparatus"] as const) {
      for (const [id, list] of Object.entries(parsed.data[kind])) {
        if (!targets[kind].has(id)) {
          errors.push(`${name}: unknown ${kind} "${id}": it cannot cite`);
          continue;
        }
        for (const citation of list) {
          if (!known.has(citation.entry))
            errors.push(
              `${name}: ${kind} "${id}" cites "${citation.entry}", which the bibliography does not hold`,
            );
          else out.citations.push({ target: { kind, id }, citation });
        }
      }
    }
  }
  return out;
}

/** The key of `meta` that records that an edition's folder bibliography was written into it. */
export const SEEDED_KEY = "bibliographySeeded";

/** Writes a checked seed bibliography into a document whose glossary, witnesses and apparatus are written. */
export function writeSeedBibliography(ydoc: Y.Doc, seed: SeedBibliography): void {
  for (const item of seed.items) setBibEntry(ydoc, item);
  for (const { target, citation } of seed.citations) addCitation(ydoc, target, citation);
  if (seed.items.length > 0) ydoc.getMap(ROOTS.meta).set(SEEDED_KEY, true);
}
