/**
 * The marks on commented words: a decoration set that the comments panel replaces when threads change,
 * mapped through edits in between. A click on marked words opens their thread.
 */
import type { Node } from "prosemirror-model";
import { Plugin, PluginKey } from "prosemirror-state";
import { DecorationSet } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import { mapDecorations } from "./docDiff.ts";

export const marksKey = new PluginKey<DecorationSet>("comment-marks");

/** The marks for the text as it is in the document, from the comments panel; null before it is there. */
export type MarksFor = ((doc: Node) => DecorationSet) | null;

/**
 * Marks commented words; the set is replaced by the panel, and mapped through edits in between. When
 * the text first arrives from the document, the set is built in that same transaction (`marksFor`):
 * built afterwards, it made the editor draw the whole text a second time (0.1 s in a large edition).
 */
export function commentMarksPlugin(
  open: (thread: string) => void,
  marksFor: () => MarksFor,
): Plugin<DecorationSet> {
  let arrived = false;
  return new Plugin<DecorationSet>({
    key: marksKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set, before) => {
        const replaced = tr.getMeta(marksKey) as DecorationSet | undefined;
        if (replaced) return replaced;
        const fromDocument = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)
          ?.isChangeOrigin;
        const build = tr.docChanged && fromDocument && !arrived ? marksFor() : null;
        if (build) {
          arrived = true;
          return build(tr.doc);
        }
        return mapDecorations(set, tr, before.doc);
      },
    },
    props: {
      decorations: (state) => marksKey.getState(state),
      handleClick: (view, pos) => {
        const found = marksKey.getState(view.state)?.find(pos, pos);
        const thread = found?.[0]?.spec.thread as string | undefined;
        if (!thread) return false;
        open(thread);
        return false; // the click still places the caret
      },
    },
  });
}
