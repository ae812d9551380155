/**
 * Citing in the text: the words of a citation, under a `cite` mark, go into the footnote the cursor is
 * just after (or the selected one), or into a new footnote at the cursor.
 */
import { NodeSelection } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import type { Citation } from "../schema/bibliography/citations.ts";
import { schema } from "../schema/schema.ts";

export type CiteResult = { ok: true; into: "existing" | "new" } | { ok: false; reason: string };

/** Puts `words` citing `citation` into a footnote; the cited words carry the citation. */
export function citeInFootnote(view: EditorView, citation: Citation, words: string): CiteResult {
  if (!words.trim()) return { ok: false, reason: "a citation needs words to stand for it" };
  const { state } = view;
  const mark = schema.marks.cite.create({
    entry: citation.entry,
    locator: citation.locator,
    label: citation.label,
  });
  const sel = state.selection;
  const target =
    sel instanceof NodeSelection && sel.node.type.name === "note"
      ? { node: sel.node, pos: sel.from }
      : sel.empty && sel.$from.nodeBefore?.type.name === "note"
        ? { node: sel.$from.nodeBefore, pos: sel.from - sel.$from.nodeBefore.nodeSize }
        : null;
  if (target) {
    const end = target.pos + 1 + target.node.content.size;
    const text = target.node.textContent;
    const tr = state.tr;
    const gap = text && !/\s$/.test(text) ? " " : "";
    if (gap) tr.insert(end, schema.text(gap));
    tr.insert(end + gap.length, schema.text(words, [mark]));
    view.dispatch(tr.scrollIntoView());
    return { ok: true, into: "existing" };
  }
  const $from = sel.$from;
  if (!$from.parent.inlineContent || $from.parent.type.name === "note")
    return { ok: false, reason: "put the cursor in the text where the note goes, or just after a note" };
  const note = schema.nodes.note.create({ kind: "editorial" }, schema.text(words, [mark]));
  if (!$from.parent.canReplaceWith($from.index(), $from.indexAfter(), note.type))
    return { ok: false, reason: `a footnote cannot go in a ${$from.parent.type.name}` };
  view.dispatch(state.tr.replaceSelectionWith(note, false).scrollIntoView());
  return { ok: true, into: "new" };
}
