/**
 * The nodes and marks of the model that come from how sources are encoded (TEI): verse, drama, front and
 * back matter, page breaks, transcription (gaps, unclear and supplied words), renditions, languages,
 * `choice`. `schema.ts` places them among its own, in this order.
 */
import type { MarkSpec, NodeSpec } from "prosemirror-model";

/** Blocks: verse, front/back matter, drama. */
export const SOURCE_BLOCKS: Record<
  "line_group" | "verse_line" | "matter" | "speech" | "speaker" | "stage",
  NodeSpec
> = {
  /** A group of verse lines (TEI `lg`): a stanza, a strophe; `type` as the source names it. */
  line_group: {
    group: "block",
    content: "verse_line+",
    defining: true,
    attrs: { id: { default: null }, type: { default: null } },
    parseDOM: [
      {
        tag: "div.lg",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return { id: el.getAttribute("data-id"), type: el.dataset.type ?? null };
        },
      },
    ],
    toDOM: (node) => ["div", { class: "lg", "data-id": node.attrs.id, "data-type": node.attrs.type }, 0],
  },

  /** A verse line (TEI `l`), in a line group or on its own; `n` is the source's own line number. */
  verse_line: {
    group: "block",
    content: "inline*",
    defining: true,
    attrs: { id: { default: null }, n: { default: null } },
    parseDOM: [
      {
        tag: "div.l",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return { id: el.getAttribute("data-id"), n: el.dataset.n ?? null };
        },
      },
    ],
    toDOM: (node) => ["div", { class: "l", "data-id": node.attrs.id, "data-n": node.attrs.n }, 0],
  },

  /**
   * Front or back matter (TEI `front`, `back`): a title page, a preface, an appendix, a list of sigla,
   * kept before or after the text; `part` is `front` or `back`. Its words are the witness's too.
   */
  matter: {
    group: "block",
    content: "block+",
    defining: true,
    attrs: { part: { default: "front" } },
    parseDOM: [
      { tag: "section.matter", getAttrs: (dom) => ({ part: (dom as HTMLElement).dataset.part ?? "front" }) },
    ],
    toDOM: (node) => ["section", { class: "matter", "data-part": node.attrs.part }, 0],
  },

  /** A speech of a play (TEI `sp`): its speaker, then what is said; `who` as the file points at the role. */
  speech: {
    group: "block",
    content: "speaker? block+",
    defining: true,
    attrs: { id: { default: null }, who: { default: null } },
    parseDOM: [
      {
        tag: "div.sp",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return { id: el.getAttribute("data-id"), who: el.dataset.who ?? null };
        },
      },
    ],
    toDOM: (node) => ["div", { class: "sp", "data-id": node.attrs.id, "data-who": node.attrs.who }, 0],
  },

  /** Who speaks, as the source prints it (TEI `speaker`); only at the head of a speech. */
  speaker: {
    content: "inline*",
    defining: true,
    parseDOM: [{ tag: "p.speaker" }],
    toDOM: () => ["p", { class: "speaker" }, 0],
  },

  /** A stage direction between blocks (TEI `stage`); `type` as the source names it (entrance, exit, …). */
  stage: {
    group: "block",
    content: "inline*",
    defining: true,
    attrs: { type: { default: null } },
    parseDOM: [{ tag: "p.stage", getAttrs: (dom) => ({ type: (dom as HTMLElement).dataset.type ?? null }) }],
    toDOM: (node) => ["p", { class: "stage", "data-type": node.attrs.type }, 0],
  },
};

/** Inline atoms that hold no words: page breaks, gaps. */
export const SOURCE_INLINES: Record<"page_break" | "gap", NodeSpec> = {
  /**
   * A page break of the source (TEI `pb`): `n` is the page's number as the source prints it, `facs` where
   * its scan is (a URI, as the file gives it). It holds no words: witness texts and collation skip it.
   */
  page_break: {
    group: "inline",
    inline: true,
    atom: true,
    attrs: { n: { default: null }, facs: { default: null } },
    parseDOM: [
      {
        tag: "span.pb",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return { n: el.dataset.n ?? null, facs: el.dataset.facs ?? null };
        },
      },
    ],
    toDOM: (node) => [
      "span",
      { class: "pb", "data-n": node.attrs.n, "data-facs": node.attrs.facs, contenteditable: "false" },
      `[${node.attrs.n ?? "page"}]`,
    ],
  },

  /**
   * Words of the source a transcriber could not read or that are missing (TEI `gap`): why (`reason`),
   * how much (`extent`, in `unit`s), as the transcription says. It holds no words.
   */
  gap: {
    group: "inline",
    inline: true,
    atom: true,
    attrs: { reason: { default: null }, extent: { default: null }, unit: { default: null } },
    parseDOM: [
      {
        tag: "span.gap",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return {
            reason: el.dataset.reason ?? null,
            extent: el.dataset.extent ?? null,
            unit: el.dataset.unit ?? null,
          };
        },
      },
    ],
    toDOM: (node) => [
      "span",
      {
        class: "gap",
        "data-reason": node.attrs.reason,
        "data-extent": node.attrs.extent,
        "data-unit": node.attrs.unit,
        contenteditable: "false",
      },
      "[…]",
    ],
  },
};

/** Marks: renditions, languages, `choice`, transcription. */
export const SOURCE_MARKS: Record<"hi" | "foreign" | "choice" | "unclear" | "supplied", MarkSpec> = {
  /**
   * A rendition other than emphasis and strong (TEI `hi/@rend`: `smallcaps`, `sup`, `underline`, …), kept
   * as the source names it; converters render the renditions they know and keep the words of the rest.
   */
  hi: {
    attrs: { rend: { default: "" } },
    parseDOM: [{ tag: "span.hi", getAttrs: (dom) => ({ rend: (dom as HTMLElement).dataset.rend ?? "" }) }],
    toDOM: (mark) => ["span", { class: "hi", "data-rend": mark.attrs.rend }, 0],
  },
  /** Words in another language (TEI `foreign/@xml:lang`); `lang` is a BCP 47 tag, or "" if not given. */
  foreign: {
    attrs: { lang: { default: "" } },
    parseDOM: [
      { tag: "span.foreign", getAttrs: (dom) => ({ lang: (dom as HTMLElement).getAttribute("lang") ?? "" }) },
    ],
    toDOM: (mark) => ["span", { class: "foreign", lang: mark.attrs.lang || null }, 0],
  },
  /**
   * One side of a TEI `choice` on the words it marks, the other side kept beside them: `kind` names the
   * side shown (`sic`, `orig`, `abbr`: the source's own form), `altKind` and `alt` the other (`corr`,
   * `reg`, `expan`: the editor's). The reading edition switches between them.
   */
  choice: {
    attrs: { kind: { default: "sic" }, altKind: { default: "corr" }, alt: { default: "" } },
    inclusive: false,
    parseDOM: [
      {
        tag: "span.choice",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return {
            kind: el.dataset.kind ?? "sic",
            altKind: el.dataset.altKind ?? "corr",
            alt: el.dataset.alt ?? "",
          };
        },
      },
    ],
    toDOM: (mark) => [
      "span",
      {
        class: "choice",
        "data-kind": mark.attrs.kind,
        "data-alt-kind": mark.attrs.altKind,
        "data-alt": mark.attrs.alt,
        title: `${mark.attrs.altKind}: ${mark.attrs.alt}`,
      },
      0,
    ],
  },
  /** Words the transcriber read with doubt (TEI `unclear`); `reason` as the transcription gives it. */
  unclear: {
    attrs: { reason: { default: "" } },
    parseDOM: [
      { tag: "span.unclear", getAttrs: (dom) => ({ reason: (dom as HTMLElement).dataset.reason ?? "" }) },
    ],
    toDOM: (mark) => ["span", { class: "unclear", "data-reason": mark.attrs.reason || null }, 0],
  },
  /** Words an editor supplied where the source lacks them (TEI `supplied`), shown in brackets. */
  supplied: {
    attrs: { reason: { default: "" } },
    parseDOM: [
      { tag: "span.supplied", getAttrs: (dom) => ({ reason: (dom as HTMLElement).dataset.reason ?? "" }) },
    ],
    toDOM: (mark) => ["span", { class: "supplied", "data-reason": mark.attrs.reason || null }, 0],
  },
};
