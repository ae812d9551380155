import { Plugin } from "prosemirror-state";
import { ySyncPluginKey } from "y-prosemirror";

/** A fresh block id: short, random, unlikely to collide between two editors working at once. */
export function newBlockId(prefix = "p"): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

const ID_TYPES = new Set(["paragraph", "heading", "block_note"]);

/**
 * Gives every paragraph, heading and block note an id, and a new one to a block that copied its id from
 * another (a split paragraph). Permalinks and the apparatus cite these ids. Only local changes are
 * fixed: a remote change was fixed by its author, and fixing it twice would make two ids fight.
 */
export function blockIdPlugin(): Plugin {
  return new Plugin({
    appendTransaction(transactions, _old, state) {
      if (!transactions.some((tr) => tr.docChanged && !tr.getMeta(ySyncPluginKey))) return null;
      const seen = new Set<string>();
      const tr = state.tr;
      state.doc.descendants((node, pos) => {
        if (!ID_TYPES.has(node.type.name)) return true;
        const id = node.attrs.id as string | null;
        if (id === null || seen.has(id)) {
          const fresh = newBlockId(
            node.type.name === "heading" ? "h" : node.type.name === "block_note" ? "bn" : "p",
          );
          tr.setNodeAttribute(pos, "id", fresh);
          seen.add(fresh);
        } else seen.add(id);
        return true;
      });
      return tr.docChanged ? tr : null;
    },
  });
}
