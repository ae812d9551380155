/**
 * What a collation did, as the workbench reports it: how many proposed entries it made, and the witness
 * text it could not align (a transcriber's remark, a newspaper's heading), listed for a person to place —
 * the collator never attaches such text anywhere by itself.
 */
import { h } from "./dom.ts";

/** The collate route's answer (the fields the report shows). */
export interface CollationAnswer {
  created?: unknown;
  joined?: unknown;
  replaced?: unknown;
  skipped?: unknown;
  lacunae?: unknown;
  review?: unknown;
  ocrDraftCharacters?: unknown;
  unaligned?: { text: string; near: string | null }[];
}

export function collationReport(siglum: string, r: CollationAnswer): HTMLElement {
  const unaligned = Array.isArray(r.unaligned) ? r.unaligned : [];
  return h(
    "div",
    { className: "collation-report" },
    h(
      "p",
      {},
      `${siglum}: ${String(r.created)} proposed entries (${Number(r.joined ?? 0) > 0 ? `${String(r.joined)} more readings in other witnesses' entries at the same place, ` : ""}${String(r.replaced ?? 0)} earlier proposals replaced, ${String(r.skipped ?? 0)} skipped), ${String(r.lacunae ?? 0)} lacunae; nothing is accepted until a person reviews it. `,
      h("a", { href: String(r.review) }, "Review side by side"),
    ),
    Number(r.ocrDraftCharacters ?? 0) > 0
      ? h(
          "p",
          { className: "notice", role: "note" },
          `${String(r.ocrDraftCharacters)} characters of ${siglum}'s transcription are still an OCR draft no one has accepted: its readings there are the machine's.`,
        )
      : "",
    unaligned.length
      ? h(
          "details",
          { open: true },
          h(
            "summary",
            {},
            `${unaligned.length} stretch${unaligned.length === 1 ? "" : "es"} of ${siglum} aligned with nothing: place ${unaligned.length === 1 ? "it" : "them"} by hand`,
          ),
          h(
            "ul",
            {},
            ...unaligned.map((u) =>
              h("li", {}, h("q", {}, u.text), u.near ? ` (near paragraph ${u.near})` : ""),
            ),
          ),
        )
      : "",
  );
}
