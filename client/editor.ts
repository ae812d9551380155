import { baseKeymap, toggleMark } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { liftListItem, sinkListItem, splitListItem } from "prosemirror-schema-list";
import { EditorState, type Plugin } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { redoCommand, undoCommand, yCursorPlugin, ySyncPlugin, yUndoPlugin } from "y-prosemirror";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { schema } from "../schema/schema.ts";
import { blockIdPlugin } from "./blockIds.ts";
import { FootnoteView, noteNumbersPlugin } from "./footnotes.ts";

export interface EditorOptions {
  fragment: Y.XmlFragment;
  /** One undo manager for the text and the panels' changes (see undo.ts). */
  undoManager: Y.UndoManager;
  awareness: Awareness;
  /** Further plugins (apparatus, glossary) that panels add. */
  plugins?: Plugin[];
  onState?: (state: EditorState) => void;
}

/** The collaborative editor of an edition's base text. */
export function createEditor(mount: HTMLElement, options: EditorOptions): EditorView {
  const state = EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(options.fragment),
      yCursorPlugin(options.awareness),
      yUndoPlugin({ undoManager: options.undoManager }),
      keymap({
        "Mod-z": undoCommand,
        "Mod-y": redoCommand,
        "Mod-Shift-z": redoCommand,
        "Mod-i": toggleMark(schema.marks.em),
        "Mod-b": toggleMark(schema.marks.strong),
        Enter: splitListItem(schema.nodes.list_item),
        Tab: sinkListItem(schema.nodes.list_item),
        "Shift-Tab": liftListItem(schema.nodes.list_item),
      }),
      keymap(baseKeymap),
      blockIdPlugin(),
      noteNumbersPlugin(),
      ...(options.plugins ?? []),
    ],
  });
  const view: EditorView = new EditorView(mount, {
    state,
    nodeViews: {
      note: (node, v, getPos, decorations) => new FootnoteView(node, v, getPos, decorations),
    },
    // ySyncPlugin dispatches while the view is still being constructed, so use `this`, not `view`.
    dispatchTransaction(this: EditorView, tr) {
      const next = this.state.apply(tr);
      this.updateState(next);
      options.onState?.(next);
    },
    attributes: {
      "aria-label": "Edition text",
      role: "textbox",
      "aria-multiline": "true",
      spellcheck: "false",
    },
  });
  return view;
}
