import { Plugin, type Transaction } from "prosemirror-state";
import { AddMarkStep, RemoveMarkStep, ReplaceStep } from "prosemirror-transform";
import { ySyncPluginKey } from "y-prosemirror";

/** A fresh block id: short, random, unlikely to collide between two editors working at once. */
export function newBlockId(prefix = "p"): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

const ID_TYPES = new Set(["paragraph", "heading", "block_note"]);

/**
 * Whether a transaction only typed, deleted or formatted inside one run of inline content: then no block
 * was made, split or pasted, no id can be missing or doubled, and the whole document need not be walked
 * (a walk per keystroke costs milliseconds in a large edition).
 */
function withinInline(tr: Transaction): boolean {
  return tr.steps.every((step, i) => {
    if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return true;
    if (!(step instanceof ReplaceStep) || step.slice.openStart > 0 || step.slice.openEnd > 0) return false;
    const doc = tr.docs[i];
    if (!doc) return false;
    const $from = doc.resolve(step.from);
    if (!$from.parent.inlineContent || !$from.sameParent(doc.resolve(step.to))) return false;
    let block = false;
    step.slice.content.descendants((node) => {
      if (node.isBlock) block = true;
      return !block;
    });
    return !block;
  });
}

/**
 * Gives every paragraph, heading and block note an id, and a new one to a block that copied its id from
 * another (a split paragraph). Permalinks and the apparatus cite these ids. Only local changes are
 * fixed: a remote change was fixed by its author, and fixing it twice would make two ids fight.
 */
export function blockIdPlugin(): Plugin {
  return new Plugin({
    appendTransaction(transactions, _old, state) {
      const local = transactions.filter((tr) => tr.docChanged && !tr.getMeta(ySyncPluginKey));
      if (local.length === 0 || local.every(withinInline)) return null;
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
