import { type MarkSpec, type NodeSpec, Schema } from "prosemirror-model";
import { SOURCE_BLOCKS, SOURCE_INLINES, SOURCE_MARKS } from "./sourceMarkup.ts";

/**
 * The version of the document model. A client whose schema is older than this is refused before it
 * may write, because y-prosemirror deletes, for everyone, whatever does not fit the reader's schema.
 * Raise it whenever a node or mark is added, removed or changes its attributes.
 */
export const SCHEMA_VERSION = 4;

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
type MarkName =
  | "em"
  | "strong"
  | "lemma"
  | "gloss"
  | "hi"
  | "foreign"
  | "unclear"
  | "supplied"
  | "choice"
  | "cite"
  | "ocr";

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

  ...SOURCE_BLOCKS,

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
    marks: "em strong gloss hi foreign unclear supplied choice cite",
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

  ...SOURCE_INLINES,
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
  ...SOURCE_MARKS,
  /** A link from a mention in the text to a glossary entry; nests like `lemma`. */
  gloss: {
    attrs: { entry: {} },
    excludes: "",
    inclusive: false,
    parseDOM: [{ tag: "span.gloss", getAttrs: (dom) => ({ entry: (dom as HTMLElement).dataset.entry }) }],
    toDOM: (mark) => ["span", { class: "gloss", "data-entry": mark.attrs.entry }, 0],
  },
  /**
   * A citation: the words stand for bibliography entry `entry` at `locator` (`label`: page, note, …);
   * exports write the citation in the edition's style in their place (schema/bibliography/).
   */
  cite: {
    attrs: { entry: {}, locator: { default: "" }, label: { default: "page" } },
    inclusive: false,
    parseDOM: [
      {
        tag: "cite.cite",
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          return {
            entry: el.dataset.entry,
            locator: el.dataset.locator ?? "",
            label: el.dataset.label ?? "page",
          };
        },
      },
    ],
    toDOM: (mark) => [
      "cite",
      {
        class: "cite",
        "data-entry": mark.attrs.entry,
        "data-locator": mark.attrs.locator,
        "data-label": mark.attrs.label,
      },
      0,
    ],
  },
  /**
   * Words a machine read (an OCR draft, schema/ocrDraft.ts) that no person has accepted yet: proposed,
   * shown as such, until an editor accepts them (the mark is then removed).
   */
  ocr: {
    inclusive: false,
    parseDOM: [{ tag: "span.ocr" }],
    toDOM: () => ["span", { class: "ocr", title: "OCR draft: proposed until an editor accepts it" }, 0],
  },
};

/** The edition's ProseMirror schema: the one every client, the server and every conversion share. */
export const schema: Schema<NodeName, MarkName> = new Schema({ nodes, marks });

/** Names of every node type, for the server's check of incoming updates. */
export const NODE_NAMES: ReadonlySet<string> = new Set(Object.keys(nodes));
/** Names of every mark type. y-prosemirror stores overlapping marks as `name--hash`. */
export const MARK_NAMES: ReadonlySet<string> = new Set(Object.keys(marks));
