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
  private readonly offsets = new Map<Parent, Map<Parent, number>>();

  constructor(
    private readonly ydoc: Y.Doc,
    private readonly fragment: Y.XmlFragment,
    private readonly mapping: Mapping,
  ) {}

  /** Where `rel` stands in the editor now; null if it points outside the text or into deleted content. */
  position(rel: Y.RelativePosition): number | null {
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
    return (this.mapping.get(type as Y.XmlElement) as Node | undefined)?.nodeSize ?? 0;
  }

  /** The sizes of the live children before `child` in `parent`, from one walk of `parent` per reader. */
  private offsetIn(parent: Parent, child: Parent): number {
    let starts = this.offsets.get(parent);
    if (!starts) {
      starts = new Map();
      let at = 0;
      for (let n = parent._start; n !== null; n = n.right) {
        const content = n.content;
        if (!(content instanceof Y.ContentType)) continue;
        starts.set(content.type, at);
        if (!n.deleted) at += this.sizeOf(content.type);
      }
      this.offsets.set(parent, starts);
    }
    return starts.get(child) ?? 0;
  }
}
