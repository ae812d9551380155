/**
 * The words tied to zones, marked in the transcription: every zone's words carry `zoned` (and its id),
 * the words of the zone under the pointer on the scan carry `zone-lit` too. The scan viewer replaces the
 * set when zones or the lit zone change; edits in between map it.
 */
import { Plugin, PluginKey } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import type * as Y from "yjs";
import { decodeRelative } from "../schema/comments.ts";
import { ROOTS } from "../schema/layout.ts";
import type { Zone } from "../schema/zones.ts";
import { mapDecorations } from "./docDiff.ts";
import { type Mapping, PositionReader } from "./relativePositions.ts";

export const zoneKey = new PluginKey<DecorationSet>("zone-marks");

export function zoneMarksPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: zoneKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set, before) =>
        (tr.getMeta(zoneKey) as DecorationSet | undefined) ?? mapDecorations(set, tr, before.doc),
    },
    props: { decorations: (state) => zoneKey.getState(state) },
  });
}

/** Where a zone's words are in the editor now; null when they were deleted (or the editor is not bound). */
export function zoneRange(
  view: EditorView,
  ydoc: Y.Doc,
  zone: Zone,
  reader = positionReader(view, ydoc),
): { from: number; to: number } | null {
  if (!reader) return null;
  const from = reader.position(decodeRelative(zone.start));
  const to = reader.position(decodeRelative(zone.end));
  return from !== null && to !== null && to > from ? { from, to } : null;
}

function positionReader(view: EditorView, ydoc: Y.Doc): PositionReader | null {
  const binding = (ySyncPluginKey.getState(view.state) as { binding?: { mapping: Mapping } } | undefined)
    ?.binding;
  return binding ? new PositionReader(ydoc, ydoc.getXmlFragment(ROOTS.body), binding.mapping) : null;
}

/** Marks the zones' words; `lit` names the zone under the pointer. */
export function markZones(view: EditorView, ydoc: Y.Doc, zones: Zone[], lit: string | null): void {
  const decorations: Decoration[] = [];
  const reader = positionReader(view, ydoc);
  for (const z of zones) {
    const r = zoneRange(view, ydoc, z, reader);
    if (!r) continue;
    decorations.push(
      Decoration.inline(r.from, r.to, {
        class: z.id === lit ? "zoned zone-lit" : "zoned",
        "data-zone": z.id,
      }),
    );
  }
  view.dispatch(view.state.tr.setMeta(zoneKey, DecorationSet.create(view.state.doc, decorations)));
}
