import * as Y from "yjs";
import { z } from "zod";
import { seedEditionDoc } from "./layout.ts";
import type { Origin } from "./origin.ts";
import { witnessTextToDoc } from "./textdoc.ts";
import { parseWitnessText } from "./textformat.ts";

/** `edition.json`: what an edition folder in `editions/` holds. */
export const EditionManifest = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "an edition id is lower-case letters, digits and dashes"),
  title: z.string().min(1),
  baseWitness: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/),
  baseText: z.string().min(1),
});
export type EditionManifest = z.infer<typeof EditionManifest>;

/** An edition folder read into memory: its manifest and the text of each file it names. */
export interface EditionSource {
  manifest: unknown;
  readFile(name: string): string | null;
}

export type BuildResult =
  | { ok: true; id: string; title: string; doc: Y.Doc }
  | { ok: false; errors: string[] };

/** Builds the first state of an edition's document from its folder. Errors name the file and the rule. */
export function buildEditionDoc(source: EditionSource): BuildResult {
  const parsed = EditionManifest.safeParse(source.manifest);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `edition.json: ${i.path.join(".")}: ${i.message}`),
    };
  }
  const manifest = parsed.data;
  const baseSource = source.readFile(manifest.baseText);
  if (baseSource === null)
    return { ok: false, errors: [`edition.json names "${manifest.baseText}", which is missing`] };
  const base = parseWitnessText(baseSource);
  if (!base.ok)
    return { ok: false, errors: base.errors.map((e) => `${manifest.baseText}:${e.line}: ${e.message}`) };
  const doc = new Y.Doc();
  const origin: Origin = { kind: "seed", editionId: manifest.id };
  seedEditionDoc(
    doc,
    {
      id: manifest.id,
      title: manifest.title,
      baseWitness: manifest.baseWitness,
      provenance: base.value.provenance,
      body: witnessTextToDoc(base.value, manifest.baseWitness),
    },
    origin,
  );
  return { ok: true, id: manifest.id, title: manifest.title, doc };
}
