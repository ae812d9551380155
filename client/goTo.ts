/**
 * Going to a place in the text: a block by its id (selecting some of its words when asked), or a
 * footnote by its id. Used by search, the history and the list of who is here.
 */
import { NodeSelection } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { selectRange } from "./markup.ts";

/** Selects `words` in the block with this id (their first occurrence), or puts the caret at its start. */
export function goToBlock(view: EditorView, blockId: string, words = ""): boolean {
  let done = false;
  view.state.doc.descendants((node, pos) => {
    if (done) return false;
    if (!node.isTextblock || node.attrs.id !== blockId) return true;
    let flat = "";
    const at: number[] = [];
    node.forEach((child, offset) => {
      if (child.isText) {
        for (let i = 0; i < (child.text ?? "").length; i++) at.push(pos + 1 + offset + i);
        flat += child.text;
      } else {
        at.push(-1);
        flat += "\uFFFC";
      }
    });
    const i = words ? flat.indexOf(words) : -1;
    if (i >= 0) selectRange(view, at[i] as number, (at[i + words.length - 1] as number) + 1);
    else selectRange(view, pos + 1, pos + 1);
    done = true;
    return false;
  });
  return done;
}

/** Selects the footnote with this id (which opens it for those who may edit). */
export function goToNote(view: EditorView, id: string): boolean {
  let done = false;
  view.state.doc.descendants((node, pos) => {
    if (done || node.type.name !== "note" || node.attrs.id !== id) return !done;
    view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, pos)).scrollIntoView());
    view.focus();
    done = true;
    return false;
  });
  return done;
}
