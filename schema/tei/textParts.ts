/**
 * What stands directly in `<text>` beside `front`, `body` and `back` (DraCor files open with the first
 * page's `pb` there): a page break moves to the start of the part after it, anything else is reported.
 */
import type { Element } from "@xmldom/xmldom";
import { children } from "./dom.ts";
import { reportAttrs } from "./elements.ts";
import type { ReadState } from "./state.ts";

const PARTS = ["front", "body", "back"];

/** Moves page breaks between the parts of `<text>` into the part after them; reports anything else there. */
export function readTextStrays(state: ReadState, textEl: Element | null): void {
  const kids = children(textEl);
  for (const [i, c] of kids.entries()) {
    const name = c.localName ?? "";
    if (PARTS.includes(name)) continue;
    const next = kids.slice(i + 1).find((k) => PARTS.includes(k.localName ?? ""));
    if (name === "pb" && next) {
      state.report.converted(c, "<pb> directly in <text>", `moved to the start of <${next.localName}>`);
      next.insertBefore(c, next.firstChild);
    } else {
      state.report.dropped(
        c,
        `<${name}> directly in <text>`,
        "outside front, body and back: not represented",
      );
      reportAttrs(state, c, []);
    }
  }
}
