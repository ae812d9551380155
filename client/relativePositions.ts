/**
 * Yjs relative positions → editor positions, many at a time. y-prosemirror's
 * `relativePositionToAbsolutePosition` walks every block before the position to add up their sizes, so
 * placing each of 2,000 comment threads in a 1 M-character edition walked the whole text 4,000 times
 * (half a second at every look-up). A `PositionReader` adds up each parent's children once and reuses
 * the sums; it answers as y-prosemirror would for the document as it is when the reader is made, and is
 * thrown away after (any edit moves the sums).
 */
import type { Node } from "prosemirror-model";
import type { absolutePositionToRelativePosition } from "y-prosemirror";
import * as Y from "yjs";

/** y-prosemirror's mapping from Yjs types to the editor's nodes. */
export type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

// biome-ignore lint/suspicious/noExplicitAny: Yjs types its parents so (an internal of this module)
type Parent = Y.AbstractType<any>;

/** Reads relative positions against one state of the document and the editor. */
export class PositionReader {
  /** For each parent walked: where each child type starts, counted from the parent's content start. */
  private readonly offsets = new Map<Parent, { starts: Map<Parent, number>; total: number }>();

  constructor(
    private readonly ydoc: Y.Doc,
    private readonly fragment: Y.XmlFragment,
    private readonly mapping: Mapping,
  ) {}

  /**
   * Where `rel` stands in the editor now; null if it points outside the text or into deleted content,
   * or into content the editor does not show yet.
   */
  position(rel: Y.RelativePosition): number | null {
    try {
      return this.place(rel);
    } catch (error) {
      if (error instanceof Unmapped) return null;
      throw error;
    }
  }

  private place(rel: Y.RelativePosition): number | null {
    const decoded = Y.createAbsolutePositionFromRelativePosition(rel, this.ydoc);
    if (
      decoded === null ||
      (decoded.type !== this.fragment && !Y.isParentOf(this.fragment, decoded.type._item))
    )
      return null;
    let type: Parent = decoded.type;
    let pos = 0;
    if (type instanceof Y.XmlText) pos = decoded.index;
    else if (type._item === null || !type._item.deleted) {
      // Inside an element: the sizes of its children before the index (a walk within one node).
      let n = type._start;
      let i = 0;
      while (i < type._length && i < decoded.index && n !== null) {
        if (!n.deleted) {
          i++;
          pos += this.sizeOf((n.content as Y.ContentType).type);
        }
        n = n.right;
      }
      pos += 1;
    }
    while (type !== this.fragment && type._item !== null) {
      const parent = type._item.parent as Parent;
      if (parent._item === null || !parent._item.deleted) pos += 1 + this.offsetIn(parent, type);
      type = parent;
    }
    return pos - 1;
  }

  private sizeOf(type: Parent): number {
    if (type instanceof Y.XmlText) return type._length;
    const node = this.mapping.get(type as Y.XmlElement) as Node | undefined;
    // y-prosemirror throws here: a type the editor does not show yet (its observer has not run).
    if (!node) throw new Unmapped();
    return node.nodeSize;
  }

  /**
   * The sizes of the live children before `child` in `parent`, from one walk of `parent` per reader. As
   * y-prosemirror, which starts from the first live child: a deleted child before it (kept for undo) is
   * not found, and stands after all the others.
   */
  private offsetIn(parent: Parent, child: Parent): number {
    let sums = this.offsets.get(parent);
    if (!sums) {
      const starts = new Map<Parent, number>();
      let at = 0;
      let live = false;
      for (let n = parent._start; n !== null; n = n.right) {
        const content = n.content;
        live ||= !n.deleted;
        if (!live || !(content instanceof Y.ContentType)) continue;
        starts.set(content.type, at);
        if (!n.deleted) at += this.sizeOf(content.type);
      }
      sums = { starts, total: at };
      this.offsets.set(parent, sums);
    }
    return sums.starts.get(child) ?? sums.total;
  }
}

/** A type not in the editor's mapping: the position cannot be placed now. */
class Unmapped extends Error {}
