/**
 * The page images of witnesses in the reading edition: when the reader chooses *Read the text as WD*
 * and WD has page images, they are shown beside the text, one page at a time, with the zones drawn on
 * them; the pointer on a zone lights the words it holds in the text, the pointer on those words lights
 * the zone (`client/readerScans.js`, shipped as `reader-scans.js`, does the linking in the page: it finds
 * each zone's words in the text as it reads for that witness). Pure: the images are given as addresses
 * (ours, copied files of a static export, or a IIIF server's), the zones with their words.
 */
import type { Node } from "prosemirror-model";
import { initProseMirrorDoc, relativePositionToAbsolutePosition } from "y-prosemirror";
import type * as Y from "yjs";
import { decodeRelative } from "../comments.ts";
import { escapeXml as x } from "../escape.ts";
import { copyDoc, ROOTS } from "../layout.ts";
import { schema } from "../schema.ts";
import { listZones, type ZoneRect } from "../zones.ts";

/** The script and style sheet the panel needs, as the site names them. */
export const SCANS_SCRIPT_FILE = "reader-scans.js";
export const SCANS_CSS_FILE = "reader-scans.css";

export interface ScanPage {
  n: number;
  label: string;
  /** Where the image is: a path in the site, our IIIF image, or an image elsewhere. */
  src: string;
  width: number;
  height: number;
}

/** A zone with the words it holds (as the transcription has them now). */
export interface ScanZone extends ZoneRect {
  text: string;
}

export interface ScanWitness {
  siglum: string;
  title: string;
  pages: ScanPage[];
  zones: ScanZone[];
}

/** What the reading edition is given to show scans: the witnesses with pages, and the two assets. */
export interface ScanAssets {
  witnesses: ScanWitness[];
  script: string;
  css: string;
}

/** The zones of a transcription with their words; a zone whose words were deleted is left out. */
export function zoneTexts(live: Y.Doc): ScanZone[] {
  const zones = listZones(live);
  if (zones.length === 0) return [];
  // On a copy: y-prosemirror's mapping deletes what the schema cannot read and merges neighbouring
  // texts its client made, and this runs when the reading edition is served.
  const transcription = copyDoc(live);
  const fragment = transcription.getXmlFragment(ROOTS.body);
  const { doc, mapping } = initProseMirrorDoc(fragment, schema);
  const out: ScanZone[] = [];
  for (const z of zones) {
    const at = (rel: string) =>
      relativePositionToAbsolutePosition(transcription, fragment, decodeRelative(rel), mapping);
    const from = at(z.start);
    const to = at(z.end);
    if (from === null || to === null || to <= from) continue;
    // A line an OCR draft made is the machine's until a person accepts it: not published.
    if (doc.rangeHasMark(from, to, schema.marks.ocr)) continue;
    const text = words(doc, from, to);
    if (text) out.push({ id: z.id, page: z.page, x: z.x, y: z.y, w: z.w, h: z.h, text });
  }
  return out;
}

function words(doc: Node, from: number, to: number): string {
  return doc.textBetween(from, to, " ", " ").replace(/\s+/g, " ").trim();
}

const pct = (v: number) => `${(v * 100).toFixed(3)}%`;

/** The panel of one witness's pages: a figure per page, its zones over it, hidden until chosen. */
function panel(w: ScanWitness): string {
  const figures = w.pages
    .map((p) => {
      const zones = w.zones
        .filter((z) => z.page === p.n)
        .map(
          (z) =>
            `<span class="zone" data-zone="${x(z.id)}" data-text="${x(z.text)}" title="${x(z.text)}" style="left:${pct(z.x)};top:${pct(z.y)};width:${pct(z.w)};height:${pct(z.h)}"></span>`,
        )
        .join("");
      return `<figure class="scan" data-page="${p.n}"${p.n === 1 ? "" : " hidden"}><div class="scan-image" style="aspect-ratio:${p.width} / ${p.height}"><img src="${x(p.src)}" width="${p.width}" height="${p.height}" alt="Page ${x(p.label)} of ${x(w.siglum)}" loading="lazy">${zones}</div><figcaption>${x(w.siglum)}, page ${x(p.label)}</figcaption></figure>`;
    })
    .join("\n");
  return `<aside class="scans" data-witness="${x(w.siglum)}" aria-label="Page images of ${x(w.siglum)}: ${x(w.title)}" hidden>
<div class="scan-nav"><button type="button" class="scan-prev" aria-label="Previous page">←</button> <span class="scan-status" role="status">page 1 of ${w.pages.length}</span> <button type="button" class="scan-next" aria-label="Next page">→</button></div>
${figures}
</aside>`;
}

/** The panels, their style sheet and their script, for the page of the text; empty when no witness has pages. */
export function scansHtml(scans: ScanAssets | undefined): string {
  const withPages = scans?.witnesses.filter((w) => w.pages.length > 0) ?? [];
  if (withPages.length === 0) return "";
  return `<link rel="stylesheet" href="${SCANS_CSS_FILE}">
${withPages.map(panel).join("\n")}
<script src="${SCANS_SCRIPT_FILE}" defer></script>`;
}

/** The two assets, as files of the site, when there are panels. */
export function scansFiles(scans: ScanAssets | undefined): { path: string; content: string }[] {
  if (!scans?.witnesses.some((w) => w.pages.length > 0)) return [];
  return [
    { path: SCANS_SCRIPT_FILE, content: scans.script },
    { path: SCANS_CSS_FILE, content: scans.css },
  ];
}
