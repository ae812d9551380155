/**
 * The marks on commented words: a decoration set that the comments panel replaces when threads change,
 * mapped through edits in between. A click on marked words opens their thread.
 */
import type { Node } from "prosemirror-model";
import { Plugin, PluginKey } from "prosemirror-state";
import { DecorationSet } from "prosemirror-view";
import { changedRange, fromDocument, mapDecorations } from "./docDiff.ts";

export const marksKey = new PluginKey<DecorationSet>("comment-marks");

/** What the comments panel does for the marks; null until the panel is there. */
export type MarksSource = {
  /** The marks for `doc`, the text as it has just arrived from the document. */
  build(doc: Node): DecorationSet;
  /** Marks were lost in a change from the document (the words they were on changed): mark again. */
  dropped(): void;
} | null;

/**
 * Marks commented words; the set is replaced by the panel, and mapped through edits in between. When
 * the text first arrives from the document, the set is built in that same transaction (`build`):
 * built afterwards, it made the editor draw the whole text a second time (0.1 s in a large edition).
 */
export function commentMarksPlugin(
  open: (thread: string) => void,
  source: () => MarksSource,
): Plugin<DecorationSet> {
  let arrived = false;
  return new Plugin<DecorationSet>({
    key: marksKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set, before) => {
        const replaced = tr.getMeta(marksKey) as DecorationSet | undefined;
        if (replaced) return replaced;
        if (!tr.docChanged) return set;
        const panel = source();
        if (!fromDocument(tr) || !panel) return mapDecorations(set, tr, before.doc);
        if (!arrived) {
          arrived = true;
          // Marks are worth less than the text: a thread the panel cannot read must not stop it arriving.
          try {
            return panel.build(tr.doc);
          } catch (error) {
            console.error("the comment marks could not be built with the text", error);
          }
        }
        // A mark with an end strictly inside the changed range is cut short or lost by the mapping:
        // the panel marks the words again.
        const range = changedRange(before.doc, tr.doc);
        const inside = (x: number) => range !== null && x > range.start && x < range.endBefore;
        if (range && set.find(range.start, range.endBefore).some((d) => inside(d.from) || inside(d.to)))
          panel.dropped();
        return mapDecorations(set, tr, before.doc, range);
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
