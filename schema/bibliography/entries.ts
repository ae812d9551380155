/**
 * The edition's bibliography: the publications its notes, glossary and witnesses cite, as CSL-JSON items
 * (the format of citeproc and of Zotero's exports). Stored in `Y.Map("bibliography")`:
 *
 *   id → Y.Map { type, title, author, issued, "container-title", … }   (one key per CSL field)
 *
 * One key per field, so that two people correcting two fields of one entry both keep theirs; each
 * value is plain (last writer wins within one field).
 */
import * as Y from "yjs";
import * as z from "zod/mini";
import { ROOTS } from "../layout.ts";
import "../validation.ts";

/** The item types of CSL 1.0.2. */
export const CSL_TYPES = [
  "article",
  "article-journal",
  "article-magazine",
  "article-newspaper",
  "bill",
  "book",
  "broadcast",
  "chapter",
  "classic",
  "collection",
  "dataset",
  "document",
  "entry",
  "entry-dictionary",
  "entry-encyclopedia",
  "event",
  "figure",
  "graphic",
  "hearing",
  "interview",
  "legal_case",
  "legislation",
  "manuscript",
  "map",
  "motion_picture",
  "musical_score",
  "pamphlet",
  "paper-conference",
  "patent",
  "performance",
  "periodical",
  "personal_communication",
  "post",
  "post-weblog",
  "regulation",
  "report",
  "review",
  "review-book",
  "software",
  "song",
  "speech",
  "standard",
  "thesis",
  "treaty",
  "webpage",
] as const;
export type CslType = (typeof CSL_TYPES)[number];

/** An entry's id: also its Yjs key and, after `bib-`, its TEI `xml:id` and its HTML anchor. */
export const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ENTRY_ID_RULE = "an entry id is a letter or digit, then up to 63 letters, digits, _ . or -";

/** A name: a person's family and given names, or a literal (an organisation). */
export const CslName = z
  .object({
    family: z.optional(z.string()),
    given: z.optional(z.string()),
    literal: z.optional(z.string()),
    "non-dropping-particle": z.optional(z.string()),
    "dropping-particle": z.optional(z.string()),
    suffix: z.optional(z.string()),
  })
  .check(z.refine((n) => Boolean(n.family || n.literal), "a name has a family name or a literal"));
export type CslName = z.infer<typeof CslName>;

/** A date: parts (year, month, day) or, when the source gives no exact date, its own words. */
export const CslDate = z
  .object({
    "date-parts": z.optional(z.array(z.array(z.union([z.int(), z.string().check(z.regex(/^-?\d+$/))])))),
    literal: z.optional(z.string()),
    raw: z.optional(z.string()),
    circa: z.optional(z.union([z.boolean(), z.string(), z.number()])),
  })
  .check(
    z.refine((d) => Boolean(d["date-parts"]?.length || d.literal || d.raw), "a date has parts or a literal"),
  );
export type CslDate = z.infer<typeof CslDate>;

const nameList = z.array(CslName);
/** The CSL name variables an entry may hold. */
export const NAME_FIELDS = ["author", "editor", "translator", "container-author", "reviewed-author"] as const;
/** The CSL date variables an entry may hold. */
export const DATE_FIELDS = ["issued", "accessed", "original-date"] as const;
const scalar = z.union([z.string(), z.number()]);

/** A CSL-JSON item's shape. Fields beyond those named are kept if they are strings or numbers. */
export const CslItemSchema = z.catchall(
  z.object({
    id: z.string().check(z.regex(ENTRY_ID, ENTRY_ID_RULE)),
    type: z.enum(CSL_TYPES, { message: `the type is one of CSL's (${CSL_TYPES.slice(0, 4).join(", ")}, …)` }),
    title: z.optional(z.string()),
    author: z.optional(nameList),
    editor: z.optional(nameList),
    translator: z.optional(nameList),
    "container-author": z.optional(nameList),
    "reviewed-author": z.optional(nameList),
    issued: z.optional(CslDate),
    accessed: z.optional(CslDate),
    "original-date": z.optional(CslDate),
  }),
  scalar,
);

/** A CSL-JSON item: the fields named here, and any other CSL variable as a string or number. */
export interface CslItem {
  id: string;
  type: CslType;
  title?: string;
  author?: CslName[];
  editor?: CslName[];
  translator?: CslName[];
  "container-author"?: CslName[];
  "reviewed-author"?: CslName[];
  issued?: CslDate;
  accessed?: CslDate;
  "original-date"?: CslDate;
  [field: string]: unknown;
}

/** Reads an item; throws a zod error if it is not one. */
export function parseCslItem(value: unknown): CslItem {
  return CslItemSchema.parse(value) as CslItem;
}

/** Why an item is not a valid entry, in one line naming the entry; null if it is one. */
export function entryProblem(item: unknown): string | null {
  const parsed = CslItemSchema.safeParse(item);
  if (parsed.success) return null;
  const id = typeof (item as { id?: unknown })?.id === "string" ? (item as { id: string }).id : "?";
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return `bibliography entry "${id}": ${where}${issue?.message ?? "not a CSL-JSON item"}`;
}

/** Adds or replaces an entry (only the fields that changed are written). Throws on an invalid item. */
export function setBibEntry(ydoc: Y.Doc, item: CslItem): void {
  const problem = entryProblem(item);
  if (problem) throw new RangeError(problem);
  const root = ydoc.getMap<Y.Map<unknown>>(ROOTS.bibliography);
  ydoc.transact(() => {
    let map = root.get(item.id);
    if (!map) {
      map = new Y.Map<unknown>();
      root.set(item.id, map);
    }
    const fields = Object.entries(item).filter(([k, v]) => k !== "id" && v !== undefined && v !== "");
    const keep = new Set(fields.map(([k]) => k));
    for (const key of [...map.keys()]) if (!keep.has(key)) map.delete(key);
    for (const [key, value] of fields) {
      if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, structuredClone(value));
    }
  });
}

/**
 * Changes some fields of entry `id` and leaves its others as they are, so that a colleague's change to
 * another field, or a field this edit does not know, stays; a field given as undefined or "" is removed.
 * Returns the entry as changed. Throws if there is no entry `id` or the result is not a valid entry.
 */
export function updateBibEntry(ydoc: Y.Doc, id: string, changes: Readonly<Record<string, unknown>>): CslItem {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.bibliography).get(id);
  if (!(map instanceof Y.Map)) throw new RangeError(`bibliography entry "${id}": there is no such entry`);
  const next: Record<string, unknown> = { ...map.toJSON(), id };
  for (const [key, value] of Object.entries(changes)) {
    if (key === "id") throw new RangeError(`bibliography entry "${id}": its id is not a field to change`);
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
  }
  const problem = entryProblem(next);
  if (problem) throw new RangeError(problem);
  ydoc.transact(() => {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") map.delete(key);
      else if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, structuredClone(value));
    }
  });
  return parseCslItem(next);
}

/** Removes an entry; its citations then show as citing an unknown entry. */
export function deleteBibEntry(ydoc: Y.Doc, id: string): void {
  ydoc.getMap(ROOTS.bibliography).delete(id);
}

/** One entry as a CSL-JSON item; null if there is none or it is not valid. */
export function readBibEntry(ydoc: Y.Doc, id: string): CslItem | null {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.bibliography).get(id);
  if (!(map instanceof Y.Map)) return null;
  const parsed = CslItemSchema.safeParse({ ...map.toJSON(), id });
  return parsed.success ? (parsed.data as CslItem) : null;
}

/** Every entry, sorted by first author (or title) then year. */
export function listBibliography(ydoc: Y.Doc): CslItem[] {
  return [...ydoc.getMap(ROOTS.bibliography).keys()]
    .map((id) => readBibEntry(ydoc, id))
    .filter((e): e is CslItem => e !== null)
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.id.localeCompare(b.id));
}

function sortKey(item: CslItem): string {
  const name = item.author?.[0] ?? item.editor?.[0];
  return `${name?.family ?? name?.literal ?? item.title ?? ""} ${yearOf(item)}`.toLowerCase();
}

/** The year an entry was issued, as written ("" if none). */
export function yearOf(item: CslItem): string {
  const parts = item.issued?.["date-parts"]?.[0];
  if (parts?.[0] !== undefined) return String(parts[0]);
  const words = item.issued?.literal ?? item.issued?.raw ?? "";
  return words.match(/\d{4}/)?.[0] ?? "";
}

/** A name as one reads it: "Tommy Lawson", "International Communist Current". */
export function nameText(name: CslName): string {
  if (name.literal) return name.literal;
  return [name.given, name["dropping-particle"], name["non-dropping-particle"], name.family, name.suffix]
    .filter(Boolean)
    .join(" ");
}

/** A short label for lists and for the text a citation inserts: "Lawson 2021", "ICC 2010". */
export function shortLabel(item: CslItem): string {
  const name = item.author?.[0] ?? item.editor?.[0];
  const who = name ? (name.family ?? name.literal ?? "") : (item.title ?? item.id);
  const more =
    (item.author?.length ?? 0) > 2
      ? " et al."
      : item.author?.length === 2
        ? ` and ${item.author[1]?.family ?? item.author[1]?.literal ?? ""}`
        : "";
  const year = yearOf(item);
  return `${who}${more}${year ? ` ${year}` : ""}`;
}
