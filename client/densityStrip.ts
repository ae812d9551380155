/**
 * The density strip of the review page: one mark per entry along the text (its place as a share of the
 * text), coloured by type, the current one taller; a click goes to the entry. Drawn as SVG with its
 * colours in it, so that it prints.
 */
import type { ApparatusEntry, VariantType } from "../schema/apparatus.ts";
import { VARIANT_TYPE_LABELS } from "../schema/apparatus.ts";

const SVG = "http://www.w3.org/2000/svg";
/** Colours of the strip's marks by type. */
const TYPE_COLOURS: Record<VariantType, string> = {
  substantive: "#b3261e",
  lexical: "#8e44ad",
  omission: "#c77700",
  addition: "#2e7d32",
  transposition: "#1565c0",
  orthographic: "#607d8b",
  punctuation: "#9e9e9e",
};

/** An entry on the strip: where it stands, from 0 (the start of the text) to 1 (its end). */
export interface StripItem {
  id: string;
  entry: ApparatusEntry;
  lemma: string;
  at: number;
}

export function densityStrip(
  siglum: string,
  items: StripItem[],
  current: number,
  go: (index: number) => void,
): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 1000 16");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", `Where ${siglum}'s variants are along the text`);
  const line = document.createElementNS(SVG, "rect");
  for (const [k, v] of Object.entries({ x: 0, y: 7, width: 1000, height: 2, fill: "#ddd" }))
    line.setAttribute(k, String(v));
  svg.append(line);
  items.forEach((item, i) => {
    const mark = document.createElementNS(SVG, "rect");
    const attrs = {
      x: Math.min(997, item.at * 1000),
      y: i === current ? 0 : 2,
      width: 3,
      height: i === current ? 16 : 12,
      fill: TYPE_COLOURS[item.entry.type],
    };
    for (const [k, v] of Object.entries(attrs)) mark.setAttribute(k, String(v));
    mark.setAttribute("class", `tick${i === current ? " current" : ""}`);
    mark.setAttribute("data-app", item.id);
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${i + 1}: ${item.lemma || "^"} (${VARIANT_TYPE_LABELS[item.entry.type]})`;
    mark.append(title);
    mark.addEventListener("click", () => go(i));
    svg.append(mark);
  });
  return svg;
}
