/**
 * Search over the editions of this server: keeps the index in step with the documents (re-indexing a
 * document only after it changed, checked at each query, so a colleague's edit is found at once), and
 * answers a query with what the caller may see — comments only for the edition's members.
 */
import type * as Y from "yjs";
import { parseQuery } from "../../schema/search/query.ts";
import { editionUnits, type SearchKind, witnessDocUnits } from "../../schema/search/units.ts";
import { listWitnesses } from "../../schema/witnesses.ts";
import type { Documents } from "../documents.ts";
import type { AsyncStore } from "../store/asyncStore.ts";
import { witnessDocName } from "../witnesses.ts";
import { type SearchHit, SearchIndex } from "./searchIndex.ts";

/** The longest query accepted, in characters. */
export const MAX_QUERY = 200;

export class EditionSearch {
  private readonly index = new SearchIndex();
  /** Documents whose changes since their last indexing are not in the index yet. */
  private readonly dirty = new WeakMap<Y.Doc, { dirty: boolean }>();

  constructor(
    private readonly documents: Documents,
    private readonly store: AsyncStore,
  ) {}

  /** Whether a document changed since it was last indexed (a document seen for the first time has). */
  private changed(ydoc: Y.Doc): boolean {
    let state = this.dirty.get(ydoc);
    if (!state) {
      const s = { dirty: true };
      ydoc.on("update", () => {
        s.dirty = true;
      });
      this.dirty.set(ydoc, s);
      state = s;
    }
    const was = state.dirty;
    state.dirty = false;
    return was;
  }

  /** Brings the index of one edition up to date with its documents and versions. */
  private async refresh(editionId: string): Promise<void> {
    const witnesses =
      (await this.documents.with(editionId, (doc) => {
        if (this.changed(doc.ydoc)) this.index.update(editionId, "main", editionUnits(doc.ydoc, true));
        return listWitnesses(doc.ydoc).map((w) => w.siglum);
      })) ?? [];
    // A witness without a document of its own has nothing to index: `with` answers null for it.
    for (const siglum of witnesses)
      await this.documents.with(witnessDocName(editionId, siglum), (doc) => {
        if (this.changed(doc.ydoc))
          this.index.update(editionId, `witness:${siglum}`, witnessDocUnits(doc.ydoc, siglum));
      });
    const versions = await this.store.versions.list(editionId);
    this.index.update(
      editionId,
      "versions",
      versions.map((v) => ({
        key: `version:${v.id}`,
        kind: "version" as const,
        id: String(v.id),
        where: `named version ${v.id}`,
        text: v.label,
      })),
    );
  }

  /** Answers a query; `member` decides whether comments are searched. */
  async search(editionId: string, query: string, member: boolean): Promise<SearchHit[]> {
    await this.refresh(editionId);
    const allow = (kind: SearchKind) => member || kind !== "comment";
    return this.index.search(editionId, parseQuery(query), allow);
  }

  /** Forgets a deleted edition. */
  drop(editionId: string): void {
    this.index.drop(editionId);
  }
}
