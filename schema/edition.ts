import type { Node } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import * as Y from "yjs";
import * as z from "zod/mini";
import { createEntry, isStatus, isVariantType, VARIANT_TYPES } from "./apparatus.ts";
import { readSeedBibliography, writeSeedBibliography } from "./bibliography/seed.ts";
import { createGlossaryEntry, GlossaryRecord } from "./glossary.ts";
import { seedEditionDoc } from "./layout.ts";
import { findUnlinkedMentions, linkMentions } from "./mentions.ts";
import type { Origin } from "./origin.ts";
import { schema } from "./schema.ts";
import { witnessTextToDoc } from "./textdoc.ts";
import { parseWitnessText } from "./textformat.ts";
import "./validation.ts";
import { setWitness, WitnessRecord } from "./witnesses.ts";

/** `edition.json`: what an edition folder in `editions/` holds. */
export const EditionManifest = z.object({
  id: z
    .string()
    .check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "an edition id is lower-case letters, digits and dashes")),
  title: z.string().check(z.minLength(1)),
  baseWitness: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/)),
  baseText: z.string().check(z.minLength(1)),
  witnesses: z.optional(z.string()),
  glossary: z.optional(z.string()),
  apparatus: z.optional(z.string()),
  /** CSL-JSON items, and the citations of glossary entries and witnesses (bibliography/seed.ts). */
  bibliography: z.optional(z.string()),
  citations: z.optional(z.string()),
});
export type EditionManifest = z.infer<typeof EditionManifest>;

/** A seeded apparatus entry: its lemma is found by its exact text, which must occur once in the base text. */
const SeedEntry = z.object({
  id: z.string().check(z.regex(/^app-[A-Za-z0-9-]+$/)),
  type: z.enum(VARIANT_TYPES),
  status: z.string().check(z.refine(isStatus, "status is proposed, accepted or rejected")),
  lemma: z.string().check(z.minLength(1)),
  readings: z.record(z.string(), z.object({ kind: z.enum(["text", "om"]), text: z.string() })),
  note: z._default(z.string(), ""),
});

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
  const errors: string[] = [];
  const readJson = <T>(name: string | undefined, shape: z.ZodMiniType<T>): T[] => {
    if (!name) return [];
    const text = source.readFile(name);
    if (text === null) {
      errors.push(`edition.json names "${name}", which is missing`);
      return [];
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      errors.push(`${name}: not JSON (${(error as Error).message})`);
      return [];
    }
    const result = z.array(shape).safeParse(data);
    if (!result.success) {
      for (const i of result.error.issues) errors.push(`${name}: item ${i.path.join(".")}: ${i.message}`);
      return [];
    }
    return result.data;
  };
  const baseSource = source.readFile(manifest.baseText);
  if (baseSource === null)
    return { ok: false, errors: [`edition.json names "${manifest.baseText}", which is missing`] };
  const base = parseWitnessText(baseSource);
  if (!base.ok)
    return { ok: false, errors: base.errors.map((e) => `${manifest.baseText}:${e.line}: ${e.message}`) };
  const witnesses = readJson(manifest.witnesses, WitnessRecord);
  const glossary = readJson(manifest.glossary, GlossaryRecord);
  const apparatus = readJson(manifest.apparatus, SeedEntry);
  const file = (name: string | undefined): [string, string | null] | null =>
    name ? [name, source.readFile(name)] : null;
  const bibliography = readSeedBibliography(
    { bibliography: file(manifest.bibliography), citations: file(manifest.citations) },
    {
      glossary: new Set(glossary.map((g) => g.id)),
      witness: new Set([manifest.baseWitness, ...witnesses.map((w) => w.siglum)]),
      apparatus: new Set(apparatus.map((a) => a.id)),
    },
    errors,
  );

  let body = witnessTextToDoc(base.value, manifest.baseWitness);
  const sigla = new Set([manifest.baseWitness, ...witnesses.map((w) => w.siglum)]);
  const tr = new Transform(body);
  for (const entry of apparatus) {
    const found = findExact(tr.doc, entry.lemma);
    if (found.length !== 1) {
      errors.push(
        `${manifest.apparatus}: entry ${entry.id}: its lemma occurs ${found.length} times in the base text, not once`,
      );
      continue;
    }
    for (const siglum of Object.keys(entry.readings)) {
      if (!sigla.has(siglum))
        errors.push(`${manifest.apparatus}: unknown witness "${siglum}" in apparatus entry ${entry.id}`);
    }
    const at = found[0] as { from: number; to: number };
    tr.addMark(at.from, at.to, schema.marks.lemma.create({ app: entry.id }));
  }
  linkMentions(tr, findUnlinkedMentions(tr.doc, glossary));
  body = tr.doc;
  if (errors.length > 0) return { ok: false, errors };

  const doc = new Y.Doc();
  const origin: Origin = { kind: "seed", editionId: manifest.id };
  seedEditionDoc(
    doc,
    {
      id: manifest.id,
      title: manifest.title,
      baseWitness: manifest.baseWitness,
      provenance: base.value.provenance,
      body,
    },
    origin,
  );
  doc.transact(() => {
    for (const w of witnesses) setWitness(doc, w);
    for (const g of glossary) createGlossaryEntry(doc, g);
    for (const a of apparatus) {
      createEntry(
        doc,
        {
          id: a.id,
          type: isVariantType(a.type) ? a.type : "substantive",
          note: a.note,
          source: "seed",
          by: null,
          readings: a.readings,
          lemma: a.lemma,
          status: a.status as "proposed" | "accepted" | "rejected",
        },
        0,
      );
    }
    writeSeedBibliography(doc, bibliography);
  }, origin);
  return { ok: true, id: manifest.id, title: manifest.title, doc };
}

/** Every place where `text` occurs inside one textblock (notes count as breaks). */
export function findExact(doc: Node, text: string): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    let flat = "";
    const posAt: number[] = [];
    node.forEach((child, offset) => {
      if (child.isText) {
        for (let i = 0; i < (child.text ?? "").length; i++) posAt.push(pos + 1 + offset + i);
        flat += child.text;
      } else {
        posAt.push(-1);
        flat += "\uFFFC";
      }
    });
    for (let i = flat.indexOf(text); i >= 0; i = flat.indexOf(text, i + 1)) {
      out.push({ from: posAt[i] as number, to: (posAt[i + text.length - 1] as number) + 1 });
    }
    return false;
  });
  return out;
}
