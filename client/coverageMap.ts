/**
 * The witness coverage map in the page: the SVG of schema/pictures.ts (a row per witness with text, a
 * cell per paragraph of the base, filled where the witness covers it), parsed into the page; a click on
 * a cell goes to the paragraph. A cell half filled: the witness has readings there, not the whole paragraph.
 */
import { type CoverageWitness, coverageMapSvg } from "../schema/pictures.ts";
import { svgElement } from "./densityStrip.ts";

export function coverageMap(
  witnesses: CoverageWitness[],
  blocks: string[],
  go: (blockId: string) => void,
): SVGSVGElement {
  const svg = svgElement(coverageMapSvg(witnesses, blocks));
  for (const cell of svg.querySelectorAll<SVGRectElement>("rect.cover"))
    cell.addEventListener("click", () => go(cell.dataset.block ?? ""));
  return svg;
}
