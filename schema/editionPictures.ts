/**
 * The reading edition's pictures of where the witnesses differ: the coverage map (which paragraphs each
 * witness with text covers) and a density strip per witness with published readings, each mark a link
 * to its entry, each stretch of the density row and each cell of the map a link to its paragraph — so
 * they work in the static export, without script, and in print (schema/pictures.ts). Pure.
 */
import type { Node } from "prosemirror-model";
import { placements } from "./apparatus.ts";
import { escapeXml as x } from "./escape.ts";
import { coverageMapSvg, DEFAULT_BINS, densityStripSvg, type StripMark } from "./pictures.ts";
import type { Publication } from "./publication.ts";
import type { WitnessRecord } from "./witnesses.ts";

/** The ids of the base's paragraphs, headings and lines in order (not notes): the map's columns. */
export function blockIdsOf(doc: Node): string[] {
  const ids: string[] = [];
  const walk = (node: Node) => {
    node.forEach((child) => {
      if (child.type.name === "block_note") return;
      if (child.isTextblock) {
        if (child.attrs.id) ids.push(child.attrs.id as string);
      } else walk(child);
    });
  };
  walk(doc);
  return ids;
}

/** Each published entry of a witness as a mark on its strip, with the paragraph it stands in. */
export function stripMarksOf(
  doc: Node,
  pub: Publication,
  siglum: string,
): (StripMark & { blockId: string | null })[] {
  const size = Math.max(1, doc.content.size);
  return placements(doc).flatMap((p) => {
    const e = pub.entry(p.id);
    if (!e || !(siglum in e.readings)) return [];
    return [
      { id: p.id, type: e.type, at: p.from / size, lemma: p.lemma, href: `#${p.id}`, blockId: p.blockId },
    ];
  });
}

/** The section of the reading edition; empty when no witness but the base has text. */
export function picturesSection(
  doc: Node,
  pub: Publication,
  witnesses: WitnessRecord[],
  base: string,
): string {
  const others = witnesses.filter((w) => w.hasText && w.siglum !== base && w.kind !== "source");
  if (others.length === 0) return "";
  const blocks = blockIdsOf(doc);
  const marksOf = new Map(others.map((w) => [w.siglum, stripMarksOf(doc, pub, w.siglum)]));
  const coverage = others.map((w) => ({
    ...w,
    readingBlocks: (marksOf.get(w.siglum) ?? []).flatMap((m) => (m.blockId ? [m.blockId] : [])),
  }));
  const strips = others
    .map((w) => {
      const marks = marksOf.get(w.siglum) ?? [];
      if (marks.length === 0) return "";
      const binHref = (k: number) => {
        const first = marks.find((m) => Math.min(DEFAULT_BINS - 1, Math.floor(m.at * DEFAULT_BINS)) === k);
        return first?.blockId ? `#${first.blockId}` : first?.href;
      };
      return `<figure class="picture" data-witness="${x(w.siglum)}">${densityStripSvg(w.siglum, marks, { binHref })}<figcaption>${x(w.siglum)} — ${x(w.title)}: its published readings along the text, one lane per type of variant; the bars above count them in each stretch.</figcaption></figure>`;
    })
    .join("\n");
  return `<section id="pictures" class="pictures" aria-labelledby="pictures-h"><h2 id="pictures-h">Where the witnesses differ</h2>
<figure class="picture">${coverageMapSvg(coverage, blocks, (id) => `#${id}`)}<figcaption>Which paragraphs of the base text (${x(base)}) each witness covers. A cell leads to its paragraph.</figcaption></figure>
${strips}
</section>`;
}
