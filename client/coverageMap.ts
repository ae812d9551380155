/**
 * The witness coverage map of the review page: a row per witness with text, a cell per paragraph of
 * the base (in order), filled where the witness covers it (a partial witness: its covered blocks; a full
 * one: all). SVG with its colours in it, so that it prints; a click on a cell scrolls to the paragraph.
 */
import type { WitnessRecord } from "../schema/witnesses.ts";

const SVG = "http://www.w3.org/2000/svg";

export function coverageMap(
  witnesses: WitnessRecord[],
  blocks: string[],
  go: (blockId: string) => void,
): SVGSVGElement {
  const rowH = 12;
  const labelW = 60;
  const cellW = Math.max(2, Math.floor(940 / Math.max(1, blocks.length)));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${labelW + cellW * blocks.length} ${rowH * witnesses.length + 2}`);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", "Which paragraphs each witness covers");
  const el = (name: string, attrs: Record<string, string | number>) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  witnesses.forEach((w, r) => {
    const y = r * rowH + 1;
    const label = el("text", { x: 0, y: y + rowH - 3, "font-size": 10, fill: "#222" });
    label.textContent = w.siglum;
    svg.append(label);
    const covered = new Set(w.coverage === "full" ? blocks : w.coveredBlocks);
    blocks.forEach((id, k) => {
      const has = covered.has(id);
      const cell = el("rect", {
        x: labelW + k * cellW,
        y,
        width: Math.max(1, cellW - 1),
        height: rowH - 2,
        fill: has ? "#1565c0" : "#eeeeee",
        class: `cover${has ? " covered" : ""}`,
        "data-block": id,
        "data-witness": w.siglum,
      });
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${w.siglum}, paragraph ${k + 1}: ${has ? "covered" : "not covered"}`;
      cell.append(title);
      cell.addEventListener("click", () => go(id));
      svg.append(cell);
    });
  });
  return svg;
}
