/**
 * What the edition's search looks through: one unit per paragraph or heading of the base text, per
 * footnote, per witness reading and witness paragraph, per apparatus note, glossary entry, comment
 * thread and named version. Read straight from the Yjs types — never through y-prosemirror, whose
 * reading can write (a node this schema does not know would be deleted).
 */
import * as Y from "yjs";
import { readEntry } from "../apparatus.ts";
import { readThreads } from "../comments.ts";
import { listGlossary } from "../glossary.ts";
import { ROOTS } from "../layout.ts";

/** The kinds of result, as the search API names them. */
export const SEARCH_KINDS = [
  "text",
  "witness",
  "note",
  "apparatus",
  "glossary",
  "comment",
  "version",
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** One searchable thing. `key` is unique in its edition; `id` is what a click opens. */
export interface SearchUnit {
  key: string;
  kind: SearchKind;
  /** The block, note, entry, glossary entry, thread or version id. */
  id: string;
  /** Where it is, for a person: "By way of a preface, ¶ 3", "note 2", "WD in app-x (titanic)". */
  where: string;
  text: string;
}

const BLOCKS_WITH_TEXT = new Set(["paragraph", "heading"]);

/** The text of an inline run: strings, hard breaks as spaces; notes and anchors are left out. */
function inlineText(el: Y.XmlElement, notes: (note: Y.XmlElement) => void): string {
  let text = "";
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown }[])
        if (typeof op.insert === "string") text += op.insert;
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === "note") notes(child);
      else if (child.nodeName === "hard_break") text += " ";
    }
  }
  return text;
}

/**
 * The paragraphs and headings of a fragment, in order, with the footnotes inside them. `where` names a
 * paragraph by its section's heading and its number in the document. With `placesOnly`, a paragraph's
 * text is given as "" and its notes are not read: naming the few paragraphs a history mentions by
 * reading every one of a large edition took a quarter of a second.
 */
export function blockUnits(
  fragment: Y.XmlFragment,
  block: (id: string, where: string, text: string) => void,
  note?: (id: string, where: string, text: string) => void,
  placesOnly = false,
): void {
  let section = "";
  let paragraphs = 0;
  let notes = 0;
  const visit = (el: Y.XmlElement | Y.XmlFragment) => {
    for (const child of el.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (BLOCKS_WITH_TEXT.has(child.nodeName)) {
        const text =
          placesOnly && child.nodeName !== "heading"
            ? ""
            : inlineText(child, (n) => {
                notes++;
                note?.(
                  String(n.getAttribute("id") ?? `note-${notes}`),
                  `note ${notes}`,
                  inlineText(n, () => {}),
                );
              });
        const id = String(child.getAttribute("id") ?? "");
        if (child.nodeName === "heading") {
          section = text;
          block(id, "heading", text);
        } else {
          paragraphs++;
          block(id, `${section ? `${section}, ` : ""}¶ ${paragraphs}`, text);
        }
      } else visit(child);
    }
  };
  visit(fragment);
}

/** Every unit of an edition's main document (its base text, notes, apparatus, glossary, comments). */
export function editionUnits(ydoc: Y.Doc, withComments: boolean): SearchUnit[] {
  const units: SearchUnit[] = [];
  blockUnits(
    ydoc.getXmlFragment(ROOTS.body),
    (id, where, text) => units.push({ key: `text:${id || where}`, kind: "text", id, where, text }),
    (id, where, text) => units.push({ key: `note:${id}`, kind: "note", id, where, text }),
  );
  for (const id of ydoc.getMap(ROOTS.apparatus).keys()) {
    const entry = readEntry(ydoc, id);
    if (!entry) continue;
    const lemma = entry.recordedLemma ? ` (${entry.recordedLemma.slice(0, 40)})` : "";
    for (const [siglum, reading] of Object.entries(entry.readings))
      if (reading.kind === "text" && reading.text)
        units.push({
          key: `reading:${id}:${siglum}`,
          kind: "witness",
          id,
          where: `${siglum}'s reading in ${id}${lemma}`,
          text: reading.text,
        });
    if (entry.note)
      units.push({
        key: `app:${id}`,
        kind: "apparatus",
        id,
        where: `note on ${id}${lemma}`,
        text: entry.note,
      });
  }
  for (const g of listGlossary(ydoc))
    units.push({
      key: `gloss:${g.id}`,
      kind: "glossary",
      id: g.id,
      where: g.headword,
      text: [g.headword, ...g.forms, g.definition].join(" · "),
    });
  if (withComments)
    for (const t of readThreads(ydoc))
      units.push({
        key: `comment:${t.id}`,
        kind: "comment",
        id: t.id,
        where: t.target.kind === "text" ? `on “${t.target.quote.slice(0, 40)}”` : `on ${t.target.app}`,
        text: t.messages.map((m) => `${m.author ?? "someone"}: ${m.text}`).join(" · "),
      });
  return units;
}

/** The paragraphs of a witness's own transcription document. */
export function witnessDocUnits(ydoc: Y.Doc, siglum: string): SearchUnit[] {
  const units: SearchUnit[] = [];
  blockUnits(ydoc.getXmlFragment(ROOTS.body), (id, where, text) =>
    units.push({
      key: `wdoc:${siglum}:${id || where}`,
      kind: "witness",
      id,
      where: `${siglum}, ${where}`,
      text,
    }),
  );
  return units;
}
