import { type MarkSpec, type NodeSpec, Schema } from "prosemirror-model";

/**
 * The version of the document model. A client whose schema is older than this is refused before it
 * may write, because y-prosemirror deletes, for everyone, whatever does not fit the reader's schema.
 * Raise it whenever a node or mark is added, removed or changes its attributes.
 */
export const SCHEMA_VERSION = 2;

/** Kinds of footnote an editor can write. `original` notes belong to a source (the Manifesto, the ICC). */
export const NOTE_KINDS = ["original", "editorial", "translator"] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

const blockId = { id: { default: null as string | null } };

type NodeName =
  | "doc"
  | "paragraph"
  | "heading"
  | "blockquote"
  | "bullet_list"
  | "ordered_list"
  | "list_item"
  | "block_note"
  | "line_group"
  | "verse_line"
  | "speech"
  | "matter"
  | "speaker"
  | "stage"
  | "text"
  | "note"
  | "anchor"
  | "hard_break"
  | "page_break"
  | "gap";
type MarkName = "em" | "strong" | "lemma" | "gloss" | "hi" | "foreign" | "unclear" | "supplied" | "choice";

const nodes: Record<NodeName, NodeSpec> = {
  doc: { content: "block+" },

  paragraph: {
    group: "block",
    content: "inline*",
    attrs: blockId,
    parseDOM: [{ tag: "p", getAttrs: (dom) => ({ id: (dom as HTMLElement).getAttribute("data-id") }) }],
    toDOM: (node) => ["p", { "data-id": node.attrs.id }, 0],
  },

  heading: {
    group: "block",
    content: "inline*",
    defining: true,
    attrs: { ...blockId, level: { default: 2 } },
    parseDOM: [1, 2, 3].map((level) => ({
      tag: `h${level}`,
      getAttrs: (dom: HTMLElement) => ({ level, id: dom.getAttribute("data-id") }),
    })),
    toDOM: (node) => [`h${node.attrs.level}`, { "data-id": node.attrs.id }, 0],
  },

  blockquote: {
    group: "block",
    content: "block+",
    defining: true,
    parseDOM: [{ tag: "blockquote" }],
    toDOM: () => ["blockquote", 0],
  },

  bullet_list: {
    group: "block",
    content: "list_item+",
    parseDOM: [{ tag: "ul" }],
    toDOM: () => ["ul", 0],
  },

  ordered_list: {
    group: "block",
    content: "list_item+",
    attrs: { order: { default: 1 } },
    parseDOM: [
      {
        tag: "ol",
        getAttrs: (dom) => ({ order: Number((dom as HTMLElement).getAttribute("start") ?? 1) }),
      },
    ],
    toDOM: (node) => ["ol", node.attrs.order === 1 ? {} : { start: node.attrs.order }, 0],
  },

  list_item: {
    content: "paragraph block*",
    defining: true,
    parseDOM: [{ tag: "li" }],
    toDOM: () => ["li", 0],
  },

  /**
   * A remark that stands between paragraphs and belongs to an editor, not to the witness: the ICC's
   * note on the parts it left out, its list of the chapters still to come. `resp` names who wrote it.
   */
  block_note: {
    group: "block",
    content: "(paragraph | bullet_list | ordered_list)+",
    defining: true,
    isolating: true,
    attrs: { id: { default: null }, kind: { default: "editorial" }, resp: { default: null } },
    parseDOM: [
      {
        tag: "aside.block-note",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return { id: el.getAttribute("data-id"), kind: el.dataset.kind, resp: el.dataset.resp ?? null };
        },
      },
    ],
    toDOM: (node) => [
      "aside",
      {
        class: "block-note",
        "data-id": node.attrs.id,
        "data-kind": node.attrs.kind,
        "data-resp": node.attrs.resp,
      },
      0,
    ],
  },

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

  text: { group: "inline" },

  /**
   * A footnote, kept inline at its anchor so that its number is its order in the document (computed,
   * never stored) and it shares the one Yjs binding and undo stack with the text. `label` keeps a
   * source's own number (the ICC's "[7]"); `resp` names the note's author when it is not the edition.
   */
  note: {
    group: "inline",
    inline: true,
    atom: true,
    content: "text*",
    marks: "em strong gloss hi foreign unclear supplied choice",
    attrs: {
      id: { default: null },
      kind: { default: "editorial" },
      resp: { default: null },
      label: { default: null },
    },
    parseDOM: [
      {
        tag: "span.note",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return {
            id: el.getAttribute("data-id"),
            kind: el.dataset.kind ?? "editorial",
            resp: el.dataset.resp ?? null,
            label: el.dataset.label ?? null,
          };
        },
      },
    ],
    toDOM: (node) => [
      "span",
      {
        class: "note",
        "data-id": node.attrs.id,
        "data-kind": node.attrs.kind,
        "data-resp": node.attrs.resp,
        "data-label": node.attrs.label,
      },
      0,
    ],
  },

  /** The point where a witness adds text that the base text lacks (an apparatus entry with no lemma). */
  anchor: {
    group: "inline",
    inline: true,
    atom: true,
    attrs: { app: {} },
    parseDOM: [{ tag: "span.app-anchor", getAttrs: (dom) => ({ app: (dom as HTMLElement).dataset.app }) }],
    toDOM: (node) => ["span", { class: "app-anchor", "data-app": node.attrs.app }],
  },

  hard_break: {
    group: "inline",
    inline: true,
    selectable: false,
    parseDOM: [{ tag: "br" }],
    toDOM: () => ["br"],
  },

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

const marks: Record<MarkName, MarkSpec> = {
  em: {
    parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" }],
    toDOM: () => ["em", 0],
  },
  strong: {
    parseDOM: [{ tag: "strong" }, { tag: "b" }],
    toDOM: () => ["strong", 0],
  },
  /**
   * The lemma of an apparatus entry. `excludes: ""` lets entries nest and overlap; y-prosemirror then
   * stores each under its own key, so two entries never overwrite each other.
   */
  lemma: {
    attrs: { app: {} },
    excludes: "",
    inclusive: false,
    parseDOM: [{ tag: "span.lemma", getAttrs: (dom) => ({ app: (dom as HTMLElement).dataset.app }) }],
    toDOM: (mark) => ["span", { class: "lemma", "data-app": mark.attrs.app }, 0],
  },
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
  /** A link from a mention in the text to a glossary entry; nests like `lemma`. */
  gloss: {
    attrs: { entry: {} },
    excludes: "",
    inclusive: false,
    parseDOM: [{ tag: "span.gloss", getAttrs: (dom) => ({ entry: (dom as HTMLElement).dataset.entry }) }],
    toDOM: (mark) => ["span", { class: "gloss", "data-entry": mark.attrs.entry }, 0],
  },
};

/** The edition's ProseMirror schema: the one every client, the server and every conversion share. */
export const schema: Schema<NodeName, MarkName> = new Schema({ nodes, marks });

/** Names of every node type, for the server's check of incoming updates. */
export const NODE_NAMES: ReadonlySet<string> = new Set(Object.keys(nodes));
/** Names of every mark type. y-prosemirror stores overlapping marks as `name--hash`. */
export const MARK_NAMES: ReadonlySet<string> = new Set(Object.keys(marks));
