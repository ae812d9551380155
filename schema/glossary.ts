/**
 * The glossary: persons, organisations, places, events, terms and publications the text mentions.
 * Mentions are `gloss {entry}` marks on the text; entries live in `Y.Map("glossary")`:
 *
 *   id → Y.Map { kind, headword, forms: Y.Array<string>, definition: Y.Text, wikidata, viaf, gnd?,
 *                geonames?, source }   (the ids: `authority.ts`)
 *
 * The definition is a Y.Text so that two people can write it at once; forms are an array so that two
 * people adding a spelling each keep theirs.
 */
import * as Y from "yjs";
import * as z from "zod/mini";
import { authorityCheck, storedAuthorityIds } from "./authority.ts";
import { ROOTS } from "./layout.ts";
import "./validation.ts";

export const GLOSSARY_KINDS = ["person", "organisation", "place", "event", "term", "publication"] as const;
export type GlossaryKind = (typeof GLOSSARY_KINDS)[number];

const GlossaryFields = z.object({
  id: z
    .string()
    .check(z.regex(/^gl-[a-z0-9-]+$/, 'a glossary id is "gl-" then lower-case letters, digits and dashes')),
  kind: z.enum(GLOSSARY_KINDS),
  headword: z.string().check(z.minLength(1)),
  /** Other forms: spellings, transliterations, other languages. The headword is always a form too. */
  forms: z._default(z.array(z.string().check(z.minLength(1))), []),
  definition: z._default(z.string(), ""),
  /** Authority ids (`authority.ts`, checked below by their patterns); GND and GeoNames came later: optional. */
  wikidata: z._default(z.string(), ""),
  viaf: z._default(z.string(), ""),
  gnd: z.optional(z.string()),
  geonames: z.optional(z.string()),
  /** Where the facts of the definition come from. */
  source: z._default(z.string(), ""),
});
export const GlossaryRecord = GlossaryFields.check(z.superRefine(authorityCheck));
export type GlossaryRecord = z.infer<typeof GlossaryRecord>;

/** Adds an entry to the glossary. */
export function createGlossaryEntry(ydoc: Y.Doc, record: GlossaryRecord): void {
  const map = new Y.Map<unknown>();
  ydoc.getMap<Y.Map<unknown>>(ROOTS.glossary).set(record.id, map);
  map.set("kind", record.kind);
  map.set("headword", record.headword);
  const forms = new Y.Array<string>();
  forms.push(record.forms);
  map.set("forms", forms);
  map.set("definition", new Y.Text(record.definition));
  map.set("wikidata", record.wikidata);
  map.set("viaf", record.viaf);
  if (record.gnd) map.set("gnd", record.gnd);
  if (record.geonames) map.set("geonames", record.geonames);
  map.set("source", record.source);
}

export function glossaryMap(ydoc: Y.Doc, id: string): Y.Map<unknown> {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.glossary).get(id);
  if (!map) throw new RangeError(`unknown glossary entry "${id}"`);
  return map;
}

/** One entry as plain values; null if there is none. */
export function readGlossaryEntry(ydoc: Y.Doc, id: string): GlossaryRecord | null {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.glossary).get(id);
  if (!map) return null;
  const parsed = GlossaryRecord.safeParse({
    id,
    kind: map.get("kind"),
    headword: map.get("headword"),
    forms: (map.get("forms") as Y.Array<string> | undefined)?.toArray() ?? [],
    definition: String(map.get("definition") ?? ""),
    ...storedAuthorityIds((k) => map.get(k)),
    source: map.get("source") ?? "",
  });
  return parsed.success ? parsed.data : null;
}

/** Every entry, by headword. */
export function listGlossary(ydoc: Y.Doc): GlossaryRecord[] {
  return [...ydoc.getMap(ROOTS.glossary).keys()]
    .map((id) => readGlossaryEntry(ydoc, id))
    .filter((e): e is GlossaryRecord => e !== null)
    .sort((a, b) => a.headword.localeCompare(b.headword));
}

/** Entries whose headword or a form starts with or contains the query, best matches first. */
export function searchGlossary(entries: GlossaryRecord[], query: string): GlossaryRecord[] {
  const q = fold(query.trim());
  if (!q) return entries;
  const score = (e: GlossaryRecord) => {
    const names = [e.headword, ...e.forms].map(fold);
    if (names.some((n) => n === q)) return 0;
    if (names.some((n) => n.startsWith(q))) return 1;
    if (names.some((n) => n.includes(q))) return 2;
    return 3;
  };
  return entries
    .map((e) => ({ e, s: score(e) }))
    .filter((x) => x.s < 3)
    .sort((a, b) => a.s - b.s || a.e.headword.localeCompare(b.e.headword))
    .map((x) => x.e);
}

/** Case- and accent-insensitive form of a name, for searching. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}
