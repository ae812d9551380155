/**
 * Citations: an entry of the bibliography and a locator (page 12, note 3, …). Two homes:
 *
 * - in a footnote's text (or anywhere in the text), a `cite {entry, locator, label}` mark on the words
 *   that stand for the citation; exports replace those words by the citation in the edition's style;
 * - on a glossary entry, a witness or an apparatus entry, a `citations` key on its Y.Map holding a
 *   Y.Array of `{entry, locator, label}`: the sources of a definition, of a provenance, of a note.
 */
import * as Y from "yjs";
import * as z from "zod/mini";
import { ROOTS } from "../layout.ts";
import "../validation.ts";
import { ENTRY_ID } from "./entries.ts";

/** The locator labels of CSL that an edition uses; `page` when none is said. */
export const LOCATOR_LABELS = [
  "page",
  "note",
  "chapter",
  "section",
  "paragraph",
  "line",
  "column",
  "volume",
  "issue",
  "part",
  "figure",
  "folio",
] as const;
export type LocatorLabel = (typeof LOCATOR_LABELS)[number];

export const Citation = z.object({
  entry: z.string().check(z.regex(ENTRY_ID, "a citation names a bibliography entry by its id")),
  locator: z._default(z.string(), ""),
  label: z._default(z.enum(LOCATOR_LABELS), "page"),
});
export type Citation = z.infer<typeof Citation>;

/** The attributes of the `cite` mark (see schema.ts). */
export interface CiteAttrs {
  entry: string;
  locator: string;
  label: string;
}

/** What carries a list of citations beside the text. */
export type CitingTarget =
  | { kind: "glossary"; id: string }
  | { kind: "witness"; id: string }
  | { kind: "apparatus"; id: string };

const ROOT_OF: Record<CitingTarget["kind"], string> = {
  glossary: ROOTS.glossary,
  witness: ROOTS.witnesses,
  apparatus: ROOTS.apparatus,
};

/** The key under which a glossary entry, witness or apparatus entry keeps its citations. */
export const CITATIONS_KEY = "citations";

function targetMap(ydoc: Y.Doc, target: CitingTarget): Y.Map<unknown> {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOT_OF[target.kind]).get(target.id);
  if (!(map instanceof Y.Map)) throw new RangeError(`unknown ${target.kind} "${target.id}": it cannot cite`);
  return map;
}

/** The citations of a glossary entry, witness or apparatus entry, in order (none if it has none). */
export function readCitations(ydoc: Y.Doc, target: CitingTarget): Citation[] {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOT_OF[target.kind]).get(target.id);
  const list = map instanceof Y.Map ? map.get(CITATIONS_KEY) : undefined;
  if (!(list instanceof Y.Array)) return [];
  return list
    .toArray()
    .map((c) => Citation.safeParse(c))
    .filter((r) => r.success)
    .map((r) => r.data);
}

/** Appends a citation to a glossary entry, witness or apparatus entry. */
export function addCitation(ydoc: Y.Doc, target: CitingTarget, citation: Citation): void {
  const parsed = Citation.parse(citation);
  const map = targetMap(ydoc, target);
  ydoc.transact(() => {
    let list = map.get(CITATIONS_KEY);
    if (!(list instanceof Y.Array)) {
      list = new Y.Array<Citation>();
      map.set(CITATIONS_KEY, list);
    }
    (list as Y.Array<Citation>).push([{ ...parsed }]);
  });
}

/** Removes the citation at `index` of a target's list. */
export function removeCitation(ydoc: Y.Doc, target: CitingTarget, index: number): void {
  const list = targetMap(ydoc, target).get(CITATIONS_KEY);
  if (!(list instanceof Y.Array) || index < 0 || index >= list.length)
    throw new RangeError(`${target.kind} "${target.id}" has no citation ${index + 1}`);
  list.delete(index, 1);
}

/** Every target that cites something, with its citations: for the reading edition and the exports. */
export function allCitingTargets(ydoc: Y.Doc): { target: CitingTarget; citations: Citation[] }[] {
  const out: { target: CitingTarget; citations: Citation[] }[] = [];
  for (const kind of ["glossary", "witness", "apparatus"] as const) {
    const ids = [...ydoc.getMap(ROOT_OF[kind]).keys()].sort();
    for (const id of ids) {
      const citations = readCitations(ydoc, { kind, id });
      if (citations.length > 0) out.push({ target: { kind, id }, citations });
    }
  }
  return out;
}

/** A locator as read in a list: "p. 12", "note 3"; "" without one. */
export function locatorText(c: { locator: string; label: string }): string {
  if (!c.locator) return "";
  const short: Record<string, string> = {
    page: "p.",
    paragraph: "para.",
    line: "l.",
    column: "col.",
    volume: "vol.",
    folio: "fol.",
  };
  return `${short[c.label] ?? c.label} ${c.locator}`;
}
