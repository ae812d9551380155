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

/** The changed range (`changedRange`) as a mapping; an empty one for equal documents. */
export function changeMap(range: ReturnType<typeof changedRange>): Mapping {
  if (!range) return new Mapping();
  return new Mapping([
    new StepMap([range.start, range.endBefore - range.start, range.endAfter - range.start]),
  ]);
}

/** Whether a transaction is y-prosemirror's: a change from the document, as one replacement of the text. */
export function fromDocument(tr: Transaction): boolean {
  return Boolean((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin);
}

/**
 * A decoration set mapped through a transaction; through the changed range when the transaction is
 * y-prosemirror's, whose one replacement of the whole text would drop it (`range`, when the caller has
 * found it already).
 */
export function mapDecorations(
  set: DecorationSet,
  tr: Transaction,
  before: Node,
  range?: ReturnType<typeof changedRange>,
): DecorationSet {
  if (!tr.docChanged) return set;
  if (!fromDocument(tr)) return set.map(tr.mapping, tr.doc);
  return set.map(changeMap(range === undefined ? changedRange(before, tr.doc) : range), tr.doc);
}
