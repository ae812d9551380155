/**
 * The facsimile of a witness in TEI, both ways: `<facsimile>` with a `<surface>` and `<graphic url>` per
 * page image, a `<zone>` per zone (in pixels of the image: `ulx uly lrx lry`), `pb/@facs` pointing to
 * the surface its page begins, and `<seg facs="#zone">` around the words a zone holds.
 *
 * Page n is begun by the n-th page break (text before the first break is on page 1 too): the scan
 * viewer's rule. A break that already names a scan keeps it; one without gets its surface's pointer,
 * and the import drops exactly that pointer again, so that an export imported and exported again gives
 * the same bytes. The words are carried through the conversion by an export-only mark, `facs`, of a
 * schema derived from the edition's (never stored: the import takes it off before the text is seeded).
 */
import type { Element } from "@xmldom/xmldom";
import { type Mark, type MarkType, type Node, Schema } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
} from "y-prosemirror";
import type * as Y from "yjs";
import { decodeRelative, encodeRelative } from "../comments.ts";
import { escapeXml as x } from "../escape.ts";
import { ROOTS } from "../layout.ts";
import { schema } from "../schema.ts";
import { addZone, listZones, type ZoneRect } from "../zones.ts";
import { children } from "./dom.ts";
import { reportAttrs } from "./elements.ts";
import type { ReadState } from "./state.ts";

/** One page image of a witness, as the TEI names it: where the image is, and its size in pixels. */
export interface FacsimilePage {
  /** The page's label as the source numbers it ("3"), else its position. */
  label: string;
  url: string;
  width: number;
  height: number;
}

/** The page images of the witness whose text is exported. */
export interface Facsimile {
  siglum: string;
  pages: FacsimilePage[];
}

/** A zone read from a file: its page, its rectangle in fractions of the image, its words' range. */
export interface ImportedZone extends ZoneRect {
  /** ProseMirror positions of the first and after the last character it holds. */
  from: number;
  to: number;
}

/** The edition's schema and one more mark, `facs`, that exists only while a TEI file is written or read. */
const facsSchema = new Schema({
  nodes: schema.spec.nodes,
  marks: schema.spec.marks.addToEnd("facs", { attrs: { zone: {} }, excludes: "", inclusive: false }),
});
const FACS: MarkType = facsSchema.marks.facs as MarkType;

const NCNAME = /^[A-Za-z_][\w.-]*$/;

/** The `xml:id` of page n's surface. */
export function surfaceId(siglum: string, n: number): string {
  return `facs-${siglum}-${n}`;
}

/** The body with the zones' words marked `facs` and the page breaks pointing to their surface; the lines of `<facsimile>`. */
export function zonedBody(
  ydoc: Y.Doc,
  facsimile: Facsimile,
): { body: Node; lines: string[]; warnings: string[] } {
  const fragment = ydoc.getXmlFragment(ROOTS.body);
  const { doc, mapping } = initProseMirrorDoc(fragment, facsSchema);
  const tr = new Transform(doc);
  const warnings: string[] = [];
  const { siglum, pages } = facsimile;
  let breaks = 0;
  doc.descendants((node, pos) => {
    if (node.type.name !== "page_break") return;
    breaks++;
    if (!node.attrs.facs && breaks <= pages.length)
      tr.setNodeMarkup(pos, undefined, { ...node.attrs, facs: `#${surfaceId(siglum, breaks)}` });
  });
  const byPage = new Map<number, string[]>();
  for (const z of listZones(ydoc)) {
    const page = pages[z.page - 1];
    if (!page) {
      warnings.push(
        `zone ${z.id} is on page ${z.page} of ${siglum}, which has ${pages.length} page images: not exported`,
      );
      continue;
    }
    const from = relativePositionToAbsolutePosition(ydoc, fragment, decodeRelative(z.start), mapping);
    const to = relativePositionToAbsolutePosition(ydoc, fragment, decodeRelative(z.end), mapping);
    if (from === null || to === null || to <= from || !NCNAME.test(z.id)) {
      warnings.push(`zone ${z.id} on page ${z.page} of ${siglum} holds no words any more: not exported`);
      continue;
    }
    tr.addMark(from, to, FACS.create({ zone: z.id }));
    const px = (v: number, size: number) => Math.round(v * size);
    const line = `<zone xml:id="${x(z.id)}" ulx="${px(z.x, page.width)}" uly="${px(z.y, page.height)}" lrx="${px(z.x + z.w, page.width)}" lry="${px(z.y + z.h, page.height)}"/>`;
    byPage.set(z.page, [...(byPage.get(z.page) ?? []), line]);
  }
  const lines: string[] = [];
  if (pages.length > 0) {
    lines.push(`<facsimile xml:id="facs-${x(siglum)}">`);
    pages.forEach((p, i) => {
      const n = i + 1;
      lines.push(
        `  <surface xml:id="${surfaceId(x(siglum), n)}" n="${x(p.label)}" ulx="0" uly="0" lrx="${p.width}" lry="${p.height}">`,
        `    <graphic url="${x(p.url.trim().replace(/\s/g, "%20"))}" width="${p.width}px" height="${p.height}px"/>`,
        ...(byPage.get(n) ?? []).map((l) => `    ${l}`),
        "  </surface>",
      );
    });
    lines.push("</facsimile>");
  }
  return { body: tr.doc, lines, warnings };
}

/** The facsimile as read: its pages, its zones by id, the page of each surface by id. */
export interface FacsimileRead {
  pages: FacsimilePage[];
  zones: Map<string, Omit<ImportedZone, "from" | "to">>;
  surfaces: Map<string, number>;
  /** Surfaces left out (their image cannot be fetched): a page break's pointer to one goes too. */
  leftOut: Set<string>;
}

/**
 * Why an image address cannot be a page's reference to its image; null when it can: only an absolute
 * http or https address is fetched (a relative one names a file we do not have; file: and javascript:
 * are never followed).
 */
export function unfetchableImage(url: string): string | null {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    return "a relative image address cannot be fetched: add the images with pages add";
  }
  return scheme === "http:" || scheme === "https:"
    ? null
    : "a page image is an http or https address, not file: or javascript:";
}

const num = (el: Element, name: string): number | null => {
  const v = Number.parseFloat(el.getAttribute(name) ?? "");
  return Number.isFinite(v) ? v : null;
};

/** Reads every `<facsimile>` of the file: one page per `<surface>` (in order), one zone per `<zone>`. */
export function readFacsimile(state: ReadState, root: Element): FacsimileRead | undefined {
  const facsimiles = children(root).filter((c) => c.localName === "facsimile");
  if (facsimiles.length === 0) return undefined;
  const read: FacsimileRead = { pages: [], zones: new Map(), surfaces: new Map(), leftOut: new Set() };
  for (const f of facsimiles) {
    reportAttrs(state, f, ["xml:id"]);
    for (const s of children(f)) {
      if (s.localName !== "surface") {
        state.report.dropped(s, `<${s.localName}> in <facsimile>`, "only surfaces are read");
        continue;
      }
      const graphic = children(s).find((g) => g.localName === "graphic");
      const url = (graphic?.getAttribute("url") ?? "").trim();
      // The surface's coordinates start at its origin (ulx, uly), not necessarily 0.
      const ox = num(s, "ulx") ?? 0;
      const oy = num(s, "uly") ?? 0;
      const lrx = num(s, "lrx");
      const lry = num(s, "lry");
      const width = lrx !== null ? lrx - ox : graphic ? num(graphic, "width") : null;
      const height = lry !== null ? lry - oy : graphic ? num(graphic, "height") : null;
      if (!url || !width || !height || width < 1 || height < 1) {
        state.report.dropped(
          s,
          "<surface>",
          "a page needs a <graphic url> and the image's size (lrx, lry or the graphic's width and height)",
          url || undefined,
        );
        continue;
      }
      const unfetchable = unfetchableImage(url);
      if (unfetchable) {
        state.report.dropped(s, "<surface> with an image address that cannot be fetched", unfetchable, url);
        const sid = s.getAttribute("xml:id");
        if (sid) read.leftOut.add(sid);
        for (const z of children(s))
          if (z.localName === "zone")
            state.report.dropped(
              z,
              "<zone> on a page left out",
              "its page image has no address that can be fetched",
              z.getAttribute("xml:id") ?? undefined,
            );
        continue;
      }
      const n = read.pages.length + 1;
      read.pages.push({ label: s.getAttribute("n") ?? String(n), url, width, height });
      const id = s.getAttribute("xml:id");
      if (id) read.surfaces.set(id, n);
      state.report.kept(
        s,
        "<surface>",
        "a page image, as a reference to its image (the witness's pages when the file is imported as a witness)",
        url,
      );
      reportAttrs(state, s, ["xml:id", "n", "ulx", "uly", "lrx", "lry"]);
      if (graphic) reportAttrs(state, graphic, ["url", "width", "height"]);
      for (const z of children(s)) {
        if (z === graphic) continue;
        const zid = z.getAttribute("xml:id");
        const [ulx, uly, lrx, lry] = ["ulx", "uly", "lrx", "lry"].map((a) => num(z, a));
        if (z.localName !== "zone" || !zid || ulx == null || uly == null || lrx == null || lry == null) {
          state.report.dropped(
            z,
            `<${z.localName}> in <surface>`,
            "a zone needs an xml:id and ulx, uly, lrx, lry",
            zid ?? undefined,
          );
          continue;
        }
        const clamp = (v: number) => Math.min(1, Math.max(0, v));
        read.zones.set(zid, {
          id: zid,
          page: n,
          x: clamp((ulx - ox) / width),
          y: clamp((uly - oy) / height),
          w: clamp((lrx - ulx) / width),
          h: clamp((lry - uly) / height),
        });
        reportAttrs(state, z, ["xml:id", "ulx", "uly", "lrx", "lry"]);
      }
    }
  }
  return read;
}

/** The export-only mark for a `<seg facs="#zone">` whose zone the file's facsimile holds; null otherwise. */
export function zoneMark(state: ReadState, el: Element): Mark | null {
  const id = (el.getAttribute("facs") ?? "").replace(/^#/, "");
  if (!id || !state.facsimile?.zones.has(id)) return null;
  state.report.kept(el, "<seg facs>", "the words of a zone on the page image");
  reportAttrs(state, el, ["facs"]);
  return FACS.create({ zone: id });
}

/**
 * Takes the zones' words out of a body read with `zoneMark` (their ranges, the marks removed) and drops
 * the pointer of each page break to the surface it begins (the export derives it again).
 */
export function takeFacsimile(
  doc: Node,
  read: FacsimileRead | undefined,
): { doc: Node; zones: ImportedZone[] } {
  if (!read) return { doc, zones: [] };
  const ranges = new Map<string, { from: number; to: number }>();
  const tr = new Transform(doc);
  let breaks = 0;
  doc.descendants((node, pos) => {
    if (node.type.name === "page_break") {
      breaks++;
      const facs = String(node.attrs.facs ?? "");
      const target = facs.slice(1);
      if (facs.startsWith("#") && (read.surfaces.get(target) === breaks || read.leftOut.has(target)))
        tr.setNodeMarkup(pos, undefined, { ...node.attrs, facs: null });
    }
    if (!node.isText) return;
    for (const m of node.marks) {
      if (m.type !== FACS) continue;
      const r = ranges.get(m.attrs.zone);
      const end = pos + node.nodeSize;
      ranges.set(
        m.attrs.zone,
        r ? { from: Math.min(r.from, pos), to: Math.max(r.to, end) } : { from: pos, to: end },
      );
    }
  });
  tr.removeMark(0, tr.doc.content.size, FACS);
  const zones: ImportedZone[] = [];
  for (const [id, zone] of read.zones) {
    const r = ranges.get(id);
    if (r) zones.push({ ...zone, ...r });
  }
  return { doc: tr.doc, zones };
}

/** Writes imported zones into a document whose body is the one they were read with. */
export function writeZones(ydoc: Y.Doc, zones: ImportedZone[]): void {
  if (zones.length === 0) return;
  const fragment = ydoc.getXmlFragment(ROOTS.body);
  const { mapping } = initProseMirrorDoc(fragment, schema);
  for (const z of zones) {
    const start = absolutePositionToRelativePosition(z.from, fragment, mapping) as Y.RelativePosition;
    // The last character's right side, as a zone drawn in the workbench holds its words.
    const end = absolutePositionToRelativePosition(z.to - 1, fragment, mapping) as Y.RelativePosition;
    end.assoc = -1;
    addZone(
      ydoc,
      {
        page: z.page,
        x: z.x,
        y: z.y,
        w: z.w,
        h: z.h,
        start: encodeRelative(start),
        end: encodeRelative(end),
        by: null,
        at: 0,
      },
      z.id,
    );
  }
}

/** Whether a zone read from a file was left out because no words point to it (for the report). */
export function reportUnlinkedZones(state: ReadState, zones: ImportedZone[]): void {
  const linked = new Set(zones.map((z) => z.id));
  for (const id of state.facsimile?.zones.keys() ?? [])
    if (!linked.has(id))
      state.report.dropped(null, "<zone> no words point to", "every zone holds words of the text", id);
}
