/**
 * The bare stack's editor, for `npm run bench -- large`: y-websocket, y-prosemirror and ProseMirror on
 * prosemirror-schema-basic, with nothing of Variorum's (no panels, decorations, note numbers, checks).
 */
import { baseKeymap } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { schema } from "prosemirror-schema-basic";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { redo, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin } from "y-prosemirror";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

const room = new URLSearchParams(location.search).get("room") ?? "text";
const ydoc = new Y.Doc();
const provider = new WebsocketProvider(`ws://${location.host}/sync`, room, ydoc);
const view = new EditorView(document.querySelector("#editor") as HTMLElement, {
  state: EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(ydoc.getXmlFragment("body")),
      yCursorPlugin(provider.awareness),
      yUndoPlugin(),
      keymap({ "Mod-z": undo, "Mod-y": redo, "Mod-Shift-z": redo }),
      keymap(baseKeymap),
    ],
  }),
});
provider.on("sync", (synced: boolean) => {
  if (synced) document.body.dataset.synced = "true";
});
(window as unknown as { bare: { view: EditorView } }).bare = { view };
