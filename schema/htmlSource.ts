/**
 * The reading edition's HTML for what sources encode: renditions, languages, `choice` (both sides, one
 * shown), transcription marks, page breaks and gaps. The print page uses the markers too.
 */
import type { Mark, Node } from "prosemirror-model";
import { escapeXml as x } from "./escape.ts";

/** The words of a run inside the element for one of the source marks; others leave them as they are. */
export function sourceMark(mark: Mark, html: string): string {
  switch (mark.type.name) {
    case "hi":
      return `<span class="hi" data-rend="${x(mark.attrs.rend)}">${html}</span>`;
    case "choice": {
      const { kind, altKind, alt } = mark.attrs as { kind: string; altKind: string; alt: string };
      return `<span class="choice" data-kind="${x(kind)}" data-alt-kind="${x(altKind)}" title="${x(altKind)}: ${x(alt)}"><span class="shown">${html}</span><span class="alt">${x(alt)}</span></span>`;
    }
    case "unclear":
    case "supplied":
      return `<span class="${mark.type.name}"${mark.attrs.reason ? ` title="${mark.type.name}: ${x(mark.attrs.reason)}"` : ""}>${html}</span>`;
    case "foreign":
      return `<span class="foreign"${mark.attrs.lang ? ` lang="${x(mark.attrs.lang)}"` : ""}>${html}</span>`;
    default:
      return html;
  }
}

/** A page break of the source: its number in the margin of the reading edition, a link to its scan. */
export function pageMarker(node: Node): string {
  const n = x(String(node.attrs.n ?? ""));
  const facs = node.attrs.facs as string | null;
  const label = n ? `p. ${n}` : "page";
  const inner = facs && /^https?:\/\//.test(facs) ? `<a href="${x(facs)}">${label}</a>` : label;
  return `<span class="pb" data-n="${n}" role="note" aria-label="page break${n ? ` before page ${n}` : ""}">${inner}</span>`;
}

export function hasChoice(doc: Node): boolean {
  let found = false;
  doc.descendants((n) => {
    if (n.marks.some((m) => m.type.name === "choice")) found = true;
    return !found;
  });
  return found;
}

/** A gap in the transcription: an ellipsis in brackets, with why and how much as its title. */
export function gapMarker(node: Node): string {
  const { reason, extent, unit } = node.attrs as Record<string, string | null>;
  const about = ["gap", reason, [extent, unit].filter(Boolean).join(" ")].filter(Boolean).join(": ");
  return `<span class="gap" title="${x(about)}">[…]</span>`;
}
