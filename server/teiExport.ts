/**
 * The one TEI export of a stored edition, whatever the door (HTTP, command line): the document's state
 * and the store's named versions, through `schema/tei.ts`. Two doors that each gathered their own
 * revisions once disagreed; now both call this.
 */
import type * as Y from "yjs";
import { exportTei, type TeiExport } from "../schema/tei.ts";
import { revisionsOf } from "./history.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

/** The TEI of edition `editionId` whose document is `ydoc` (the live one, or one loaded from `store`). */
export async function editionTei(store: AsyncStore, editionId: string, ydoc: Y.Doc): Promise<TeiExport> {
  const revisions = await revisionsOf(store, editionId);
  // The document is read once the revisions are in: the export is its state at that moment.
  return exportTei(ydoc, revisions);
}
