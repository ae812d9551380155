/**
 * Where two versions of a ProseMirror document differ: one range, from the first position where they
 * differ to the last. y-prosemirror writes every change from the Y.Doc (a colleague's edit, an undo) as
 * one replacement of the whole text; what maps decorations through that change maps them through this
 * range instead, so that those outside it stay where they were.
 */
import type { Node } from "prosemirror-model";
import type { Transaction } from "prosemirror-state";
import { Mapping, StepMap } from "prosemirror-transform";
import type { DecorationSet } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";

/** The differing range: `start`, and its end in `before` (`endBefore`) and in `after`; null if equal. */
export function changedRange(
  before: Node,
  after: Node,
): { start: number; endBefore: number; endAfter: number } | null {
  const start = before.content.findDiffStart(after.content);
  if (start === null) return null;
  const ends = before.content.findDiffEnd(after.content);
  let endBefore = ends?.a ?? start;
  let endAfter = ends?.b ?? start;
  // Repeated content lets the two scans cross (typing "a" after "a"): the range then ends past start.
  const overlap = start - Math.min(endBefore, endAfter);
  if (overlap > 0) {
    endBefore += overlap;
    endAfter += overlap;
  }
  return { start, endBefore, endAfter };
}

/** The change from `before` to `after` as a mapping of that one range (empty if they are equal). */
export function changeMap(before: Node, after: Node): Mapping {
  const range = changedRange(before, after);
  if (!range) return new Mapping();
  return new Mapping([
    new StepMap([range.start, range.endBefore - range.start, range.endAfter - range.start]),
  ]);
}

/**
 * A decoration set mapped through a transaction; through the changed range when the transaction is
 * y-prosemirror's (a change from the document), whose one replacement of the whole text would drop it.
 */
export function mapDecorations(set: DecorationSet, tr: Transaction, before: Node): DecorationSet {
  if (!tr.docChanged) return set;
  const fromDocument = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)
    ?.isChangeOrigin;
  return set.map(fromDocument ? changeMap(before, tr.doc) : tr.mapping, tr.doc);
}
