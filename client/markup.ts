/**
 * Editor commands that mark up the base text: variant readings (a lemma mark, or an anchor for an
 * addition) and glossary links. Each returns an error message when the selection cannot take the markup,
 * rather than making a mess the TEI export would have to apologise for.
 */
import { type EditorState, NodeSelection, TextSelection } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import type * as Y from "yjs";
import { createEntry, newEntryId, type VariantType } from "../schema/apparatus.ts";
import { createGlossaryEntry, type GlossaryKind } from "../schema/glossary.ts";
import { schema } from "../schema/schema.ts";
import { selectedNoteEditor } from "./footnotes.ts";
import { PANEL_ORIGIN } from "./undo.ts";

export type MarkupResult = { ok: true; id: string } | { ok: false; reason: string };

/** Why the selection cannot be a lemma, or null when it can. */
export function lemmaProblem(state: EditorState): string | null {
  const { from, to, $from, $to, empty } = state.selection;
  if (empty) return null;
  if (!$from.sameParent($to) || !$from.parent.isTextblock)
    return "a lemma must lie within one paragraph or heading";
  if ($from.parent.type.name === "note") return "a lemma cannot be inside a footnote";
  // Entries may nest but not partly overlap: parallel segmentation cannot express that.
  let problem: string | null = null;
  const seen = new Set<string>();
  state.doc.nodesBetween(from, to, (node) => {
    for (const mark of node.marks) if (mark.type.name === "lemma") seen.add(mark.attrs.app);
    return true;
  });
  for (const id of seen) {
    const range = markRange(state, id);
    if (!range) continue;
    const inside = range.from >= from && range.to <= to;
    const around = range.from <= from && range.to >= to;
    if (!inside && !around)
      problem = `the selection partly overlaps the lemma of ${id}; select all of it, or a part inside it`;
  }
  return problem;
}

function markRange(state: EditorState, id: string): { from: number; to: number } | null {
  let from = -1;
  let to = -1;
  state.doc.descendants((node, pos) => {
    if (node.isText && node.marks.some((m) => m.type.name === "lemma" && m.attrs.app === id)) {
      if (from < 0) from = pos;
      to = pos + node.nodeSize;
    }
    return true;
  });
  return from < 0 ? null : { from, to };
}

/**
 * Adds an apparatus entry at the selection: the selected text becomes its lemma; with nothing selected it
 * is an addition at the caret. The entry starts as "proposed" with no readings; the panel fills them in.
 */
export function addVariant(view: EditorView, ydoc: Y.Doc, by: string | null): MarkupResult {
  const problem = lemmaProblem(view.state);
  if (problem) return { ok: false, reason: problem };
  const id = newEntryId();
  const { from, to, empty } = view.state.selection;
  const type: VariantType = empty ? "addition" : "substantive";
  ydoc.transact(() => createEntry(ydoc, { id, type, source: "editor", by, readings: {} }), PANEL_ORIGIN);
  const tr = empty
    ? view.state.tr.insert(from, schema.nodes.anchor.create({ app: id }))
    : view.state.tr.addMark(from, to, schema.marks.lemma.create({ app: id }));
  view.dispatch(tr);
  return { ok: true, id };
}

/** Removes an entry's lemma mark or anchor from the text (its record is removed by the caller). */
export function removeVariantMarkup(view: EditorView, id: string): void {
  const tr = view.state.tr;
  const anchors: number[] = [];
  view.state.doc.descendants((node, pos) => {
    if (node.type.name === "anchor" && node.attrs.app === id) anchors.push(pos);
    return true;
  });
  for (const pos of anchors.reverse()) tr.delete(pos, pos + 1);
  tr.removeMark(0, tr.doc.content.size, schema.marks.lemma.create({ app: id }));
  view.dispatch(tr);
}

/** Links the selection to a glossary entry (in an open footnote, if words are selected there). */
export function linkSelection(view: EditorView, entryId: string): MarkupResult {
  const target = selectedNoteEditor() ?? view;
  const { from, to, empty } = target.state.selection;
  if (empty) return { ok: false, reason: "select the words to link first" };
  if (target === view && view.state.selection instanceof NodeSelection) {
    return { ok: false, reason: "select words, not a whole note: open the note and select words in it" };
  }
  target.dispatch(target.state.tr.addMark(from, to, schema.marks.gloss.create({ entry: entryId })));
  return { ok: true, id: entryId };
}

/** Creates a glossary entry named after the selection and links the selection to it. */
export function createAndLink(
  view: EditorView,
  ydoc: Y.Doc,
  kind: GlossaryKind,
  headword: string,
): MarkupResult {
  if ((selectedNoteEditor() ?? view).state.selection.empty)
    return { ok: false, reason: "select the words to link first" };
  const slug = headword
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  let id = `gl-${slug || "entry"}`;
  const glossary = ydoc.getMap("glossary");
  for (let n = 2; glossary.has(id); n++) id = `gl-${slug || "entry"}-${n}`;
  ydoc.transact(
    () =>
      createGlossaryEntry(ydoc, {
        id,
        kind,
        headword,
        forms: [],
        definition: "",
        wikidata: "",
        viaf: "",
        source: "",
      }),
    PANEL_ORIGIN,
  );
  return linkSelection(view, id);
}

/** Selects a stretch of the text and scrolls it into view. */
export function selectRange(view: EditorView, from: number, to: number): void {
  const tr = view.state.tr.setSelection(TextSelection.create(view.state.doc, from, to)).scrollIntoView();
  view.dispatch(tr);
  view.focus();
}
