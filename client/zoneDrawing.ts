/**
 * Zones on the scan: drawn with the mouse over the page shown (when *Draw a zone* is on) and tied to
 * the words selected in the transcription; shown as overlays on their page. The pointer on a zone lights
 * its words in the text; the pointer on zoned words lights their zone. Zones are shared: everyone sees
 * the others' zones as they are drawn; each person's undo takes back their own.
 */
import OpenSeadragon from "openseadragon";
import type { EditorView } from "prosemirror-view";
import { absolutePositionToRelativePosition, ySyncPluginKey } from "y-prosemirror";
import type * as Y from "yjs";
import { encodeRelative } from "../schema/comments.ts";
import { ROOTS } from "../schema/layout.ts";
import { addZone, listZones, type Zone } from "../schema/zones.ts";
import { h } from "./dom.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import { markZones } from "./zoneMarks.ts";

export interface ZoneContext {
  viewer: OpenSeadragon.Viewer;
  stage: HTMLElement;
  view: EditorView;
  ydoc: Y.Doc;
  user: string | null;
  /** The page shown (1-based) and its image size. */
  page(): { n: number; width: number; height: number } | null;
  say(text: string): void;
}

type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

export function attachZones(ctx: ZoneContext): { draw(on: boolean): void; refresh(): void; destroy(): void } {
  const { viewer, view, ydoc } = ctx;
  const zonesMap = ydoc.getMap(ROOTS.zones);
  let lit: string | null = null;
  let zones: Zone[] = [];
  const overlays = new Map<string, HTMLElement>();

  const light = (id: string | null) => {
    if (id === lit) return;
    lit = id;
    for (const [zid, el] of overlays) el.classList.toggle("lit", zid === id);
    markZones(view, ydoc, zones, lit);
  };

  const refresh = () => {
    zones = listZones(ydoc);
    viewer.clearOverlays();
    overlays.clear();
    const p = ctx.page();
    if (p && viewer.world.getItemCount() > 0) {
      const item = viewer.world.getItemAt(0);
      for (const z of zones.filter((z) => z.page === p.n)) {
        const el = h("div", {
          className: "zone",
          "data-zone": z.id,
          title: "A zone: its words light up in the text",
        });
        el.addEventListener("mouseenter", () => light(z.id));
        el.addEventListener("mouseleave", () => light(null));
        const rect = item.imageToViewportRectangle(
          z.x * p.width,
          z.y * p.height,
          z.w * p.width,
          z.h * p.height,
        );
        viewer.addOverlay({ element: el, location: rect });
        overlays.set(z.id, el);
      }
    }
    markZones(view, ydoc, zones, lit);
  };
  zonesMap.observe(refresh);
  viewer.addHandler("open", refresh);

  // From the text to the scan: zoned words under the pointer light their zone.
  const onOver = (e: Event) => {
    const zoned = (e.target as HTMLElement).closest?.(".zoned") as HTMLElement | null;
    light(zoned?.dataset.zone ?? null);
  };
  view.dom.addEventListener("mouseover", onOver);

  // Drawing: press, drag, release over the page; the rubber band shows the rectangle meanwhile.
  let drawing = false;
  let from: OpenSeadragon.Point | null = null;
  const band = h("div", { className: "zone-band", hidden: true });
  ctx.stage.append(band);
  const tracker = new OpenSeadragon.MouseTracker({
    element: viewer.canvas,
    pressHandler: (e) => {
      if (!drawing) return;
      from = e.position as OpenSeadragon.Point;
      band.hidden = false;
      Object.assign(band.style, { left: `${from.x}px`, top: `${from.y}px`, width: "0px", height: "0px" });
    },
    dragHandler: (e) => {
      if (!drawing || !from) return;
      const to = e.position as OpenSeadragon.Point;
      Object.assign(band.style, {
        left: `${Math.min(from.x, to.x)}px`,
        top: `${Math.min(from.y, to.y)}px`,
        width: `${Math.abs(to.x - from.x)}px`,
        height: `${Math.abs(to.y - from.y)}px`,
      });
    },
    releaseHandler: (e) => {
      if (!drawing || !from) return;
      const start = from;
      from = null;
      band.hidden = true;
      const end = e.position as OpenSeadragon.Point;
      const p = ctx.page();
      const item = viewer.world.getItemAt(0);
      if (!p || !item) return;
      const a = item.viewerElementToImageCoordinates(start);
      const b = item.viewerElementToImageCoordinates(end);
      const { from: f, to: t, empty } = view.state.selection;
      if (empty) {
        ctx.say("Select the words the zone holds in the transcription first, then draw it.");
        return;
      }
      const mapping = (ySyncPluginKey.getState(view.state) as { binding: { mapping: Mapping } }).binding
        .mapping;
      const fragment = ydoc.getXmlFragment(ROOTS.body);
      const startRel = absolutePositionToRelativePosition(f, fragment, mapping);
      // The last word's right side, so that the zone holds exactly the selected words (see comments).
      const endRel = absolutePositionToRelativePosition(t - 1, fragment, mapping);
      endRel.assoc = -1;
      const x = Math.min(a.x, b.x) / p.width;
      const y = Math.min(a.y, b.y) / p.height;
      const w = Math.abs(b.x - a.x) / p.width;
      const hh = Math.abs(b.y - a.y) / p.height;
      if (w < 0.005 || hh < 0.005) {
        ctx.say("Drag over the page to draw the zone's rectangle.");
        return;
      }
      ydoc.transact(
        () =>
          addZone(ydoc, {
            page: p.n,
            x,
            y,
            w,
            h: hh,
            start: encodeRelative(startRel),
            end: encodeRelative(endRel),
            by: ctx.user,
            at: Date.now(),
          }),
        PANEL_ORIGIN,
      );
      ctx.say(`Zone drawn on page ${p.n} for “${view.state.doc.textBetween(f, t, " ")}”.`);
    },
  });

  return {
    draw: (on) => {
      drawing = on;
      viewer.setMouseNavEnabled(!on);
      ctx.stage.classList.toggle("drawing", on);
    },
    refresh,
    destroy: () => {
      tracker.destroy();
      zonesMap.unobserve(refresh);
      view.dom.removeEventListener("mouseover", onOver);
    },
  };
}
