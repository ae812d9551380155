/**
 * Going to a place of the text from outside the editor (a picture, a table cell, the beside pane) and
 * scrolling it into view. ProseMirror scrolls to a selection only when the page's selection is its own
 * (not so after a click elsewhere, nor in a text that is read-only for this person), so the page is
 * scrolled here: the place stands a third of the way down the window.
 */
import type { EditorView } from "prosemirror-view";
import { goToBlock } from "./goTo.ts";
import { selectRange } from "./markup.ts";

/** Scrolls the window so that a position of the text is in view. */
export function reveal(view: EditorView, pos: number): void {
  const at = Math.min(Math.max(0, pos), view.state.doc.content.size);
  const { top } = view.coordsAtPos(at);
  window.scrollBy({ top: top - window.innerHeight / 3 });
}

/** Selects a stretch of the text and scrolls it into view. */
export function showRange(view: EditorView, from: number, to: number): void {
  selectRange(view, from, to);
  reveal(view, from);
}

/** Puts the caret at the start of a block (by its id) and scrolls it into view. */
export function showBlock(view: EditorView, blockId: string): boolean {
  if (!goToBlock(view, blockId)) return false;
  reveal(view, view.state.selection.from);
  return true;
}
