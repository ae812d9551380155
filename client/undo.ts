import { defaultDeleteFilter, defaultProtectedNodes, ySyncPluginKey } from "y-prosemirror";
import * as Y from "yjs";
import { ROOTS } from "../schema/layout.ts";

/** The origin of changes made from this browser's panels (apparatus, glossary, witnesses). */
export const PANEL_ORIGIN = { kind: "panel" } as const;

/**
 * One undo manager for the text and everything beside it, so that Ctrl-Z undoes a new apparatus entry,
 * a glossary edit or a decision as it undoes typing; only this person's own changes are tracked.
 */
export function createUndoManager(ydoc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager(
    [
      ydoc.getXmlFragment(ROOTS.body),
      ydoc.getMap(ROOTS.apparatus),
      ydoc.getMap(ROOTS.decisions),
      ydoc.getMap(ROOTS.glossary),
      ydoc.getMap(ROOTS.witnesses),
      ydoc.getMap(ROOTS.zones),
    ],
    {
      trackedOrigins: new Set([ySyncPluginKey, PANEL_ORIGIN]),
      deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
      captureTransaction: (tr) => tr.meta.get("addToHistory") !== false,
    },
  );
}
