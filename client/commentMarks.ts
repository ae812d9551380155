/**
 * The marks on commented words: a decoration set that the comments panel replaces when threads change,
 * mapped through edits in between. A click on marked words opens their thread.
 */
import { Plugin, PluginKey } from "prosemirror-state";
import { DecorationSet } from "prosemirror-view";

export const marksKey = new PluginKey<DecorationSet>("comment-marks");

/** Marks commented words; the set is replaced by the panel, and mapped through edits in between. */
export function commentMarksPlugin(open: (thread: string) => void): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: marksKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => (tr.getMeta(marksKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
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
