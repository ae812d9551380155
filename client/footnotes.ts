/**
 * Footnotes in the editor: numbers computed from document order (never stored, so two people inserting
 * notes at once both end with the right numbers), and a node view that edits a note's text in a nested
 * editor whose steps go to the outer view, as in ProseMirror's footnote example, so that one Yjs
 * binding and one undo stack cover notes and text alike.
 */
import { toggleMark } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import type { Node } from "prosemirror-model";
import {
  EditorState,
  NodeSelection,
  Plugin,
  PluginKey,
  TextSelection,
  type Transaction,
} from "prosemirror-state";
import { StepMap } from "prosemirror-transform";
import { Decoration, DecorationSet, EditorView, type NodeView } from "prosemirror-view";
import { redoCommand, undoCommand } from "y-prosemirror";
import { type NoteKind, schema } from "../schema/schema.ts";
import { changedRange } from "./docDiff.ts";

const numbersKey = new PluginKey<DecorationSet>("note-numbers");

/** Notes whose nested editor is open (at most one in practice: opening one closes the other). */
const openNotes = new Set<FootnoteView>();

/** The open note's editor if words are selected in it: markup commands then apply there. */
export function selectedNoteEditor(): EditorView | null {
  for (const note of openNotes) {
    const editor = note.editor;
    if (editor && !editor.state.selection.empty) return editor;
  }
  return null;
}

/**
 * Whether a transaction adds, removes or replaces a note (in the document before or after one of its
 * steps); an edit inside a note's own text does not.
 */
function touchesNotes(tr: Transaction): boolean {
  let touched = false;
  const hasNote = (doc: Node, from: number, to: number) =>
    doc.nodesBetween(from, Math.min(to, doc.content.size), (node, pos) => {
      if (touched) return false;
      if (node.type.name !== "note") return true;
      // A note around the whole change is only being typed in.
      if (!(pos < from && pos + node.nodeSize > to)) touched = true;
      return false;
    });
  tr.mapping.maps.forEach((map, i) => {
    const before = tr.docs[i] as Node;
    const after = tr.docs[i + 1] ?? tr.doc;
    map.forEach((oldStart, oldEnd, newStart, newEnd) => {
      if (touched) return;
      hasNote(before, oldStart, oldEnd);
      hasNote(after, newStart, newEnd);
    });
  });
  return touched;
}

/** Numbers of the notes in document order, as node decorations the note views read. */
export function noteNumbersPlugin(): Plugin<DecorationSet> {
  const build = (doc: Node) => {
    const decorations: Decoration[] = [];
    let n = 0;
    doc.descendants((node, pos) => {
      if (node.type.name === "note") {
        n++;
        decorations.push(
          Decoration.node(pos, pos + node.nodeSize, { "data-n": String(n) }, { noteNumber: n }),
        );
        return false;
      }
      return true;
    });
    return DecorationSet.create(doc, decorations);
  };
  return new Plugin<DecorationSet>({
    key: numbersKey,
    state: {
      init: (_config, state) => build(state.doc),
      apply: (tr, old) => {
        if (!tr.docChanged) return old;
        // Numbers change only when a note is added, removed or moved: otherwise the old numbers are
        // mapped through the edit instead of counting every note again at every keystroke.
        return touchesNotes(tr) ? build(tr.doc) : old.map(tr.mapping, tr.doc);
      },
    },
    props: { decorations: (state) => numbersKey.getState(state) },
  });
}

const KIND_LABEL: Record<NoteKind, string> = {
  original: "original note",
  editorial: "editorial note",
  translator: "translator's note",
};

/** The view of one footnote: its number, and on opening, its text in a nested editor. */
export class FootnoteView implements NodeView {
  readonly dom: HTMLElement;
  private readonly marker: HTMLButtonElement;
  private inner: EditorView | null = null;
  private popup: HTMLElement | null = null;

  constructor(
    private node: Node,
    private readonly outer: EditorView,
    private readonly getPos: () => number | undefined,
    decorations: readonly Decoration[],
  ) {
    this.dom = document.createElement("span");
    this.dom.className = "note";
    this.marker = document.createElement("button");
    this.marker.type = "button";
    this.marker.className = "note-marker";
    this.marker.addEventListener("mousedown", (e) => {
      e.preventDefault();
      if (this.inner) this.close();
      else this.open();
    });
    this.dom.append(this.marker);
    this.render(decorations);
  }

  private render(decorations: readonly Decoration[]): void {
    const n = decorations.find((d) => (d.spec as { noteNumber?: number }).noteNumber)?.spec.noteNumber ?? "?";
    const { kind, resp, label } = this.node.attrs as {
      kind: NoteKind;
      resp: string | null;
      label: string | null;
    };
    this.marker.textContent = String(n);
    this.dom.dataset.kind = kind;
    this.dom.dataset.id = this.node.attrs.id ?? "";
    const who = resp ? ` by ${resp}${label ? ` [${label}]` : ""}` : "";
    this.marker.setAttribute(
      "aria-label",
      `${KIND_LABEL[kind] ?? kind} ${n}${who}: ${this.node.textContent}`,
    );
    this.marker.title = `${KIND_LABEL[kind] ?? kind}${who}: ${this.node.textContent}`;
  }

  selectNode(): void {
    this.dom.classList.add("ProseMirror-selectednode");
    if (!this.inner) this.open();
  }

  deselectNode(): void {
    this.dom.classList.remove("ProseMirror-selectednode");
    if (this.inner) this.close();
  }

  private open(): void {
    const popup = document.createElement("span");
    popup.className = "note-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", this.marker.title);
    const kind = document.createElement("select");
    kind.className = "note-kind";
    kind.setAttribute("aria-label", "Kind of note");
    for (const [value, text] of Object.entries(KIND_LABEL)) kind.append(new Option(text, value));
    kind.value = this.node.attrs.kind;
    kind.addEventListener("change", () => {
      const pos = this.getPos();
      if (pos !== undefined)
        this.outer.dispatch(this.outer.state.tr.setNodeAttribute(pos, "kind", kind.value));
    });
    const body = document.createElement("span");
    body.className = "note-body";
    const tools = document.createElement("span");
    tools.className = "note-tools";
    for (const [label, title, mark] of [
      ["I", "Emphasis in the note (Ctrl-I)", schema.marks.em],
      ["B", "Strong in the note (Ctrl-B)", schema.marks.strong],
    ] as const) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = title;
      b.setAttribute("aria-label", title);
      b.addEventListener("mousedown", (e) => {
        e.preventDefault();
        if (this.inner) toggleMark(mark)(this.inner.state, this.inner.dispatch);
      });
      tools.append(b);
    }
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = " To link words of the note to the glossary, select them and use Link.";
    tools.append(hint);
    popup.append(kind, tools, body);
    this.dom.append(popup);
    this.popup = popup;
    this.inner = new EditorView(body, {
      state: EditorState.create({
        doc: this.node,
        plugins: [
          keymap({
            "Mod-i": toggleMark(schema.marks.em),
            "Mod-b": toggleMark(schema.marks.strong),
            "Mod-z": () => undoCommand(this.outer.state, this.outer.dispatch),
            "Mod-y": () => redoCommand(this.outer.state, this.outer.dispatch),
            "Mod-Shift-z": () => redoCommand(this.outer.state, this.outer.dispatch),
            Escape: () => {
              // Leave the note: the caret goes right after it in the text, which closes this editor.
              const pos = this.getPos();
              if (pos !== undefined) {
                const after = TextSelection.create(this.outer.state.doc, pos + this.node.nodeSize);
                this.outer.dispatch(this.outer.state.tr.setSelection(after));
              }
              this.outer.focus();
              return true;
            },
          }),
        ],
      }),
      dispatchTransaction: (tr) => this.dispatchInner(tr),
      handleDOMEvents: {
        mousedown: () => {
          // Focus the inner editor when the outer has the note selected, so that typing goes to the note.
          if (this.inner && this.outer.hasFocus()) this.inner.focus();
          return false;
        },
      },
    });
    openNotes.add(this);
    // The outer view is still settling its own selection now; focus the note's editor just after.
    setTimeout(() => this.inner?.focus(), 0);
  }

  /** The nested editor, while this note is open. */
  get editor(): EditorView | null {
    return this.inner;
  }

  private close(): void {
    openNotes.delete(this);
    // A DOM selection left inside the removed editor would be read by the outer view as its own.
    const selection = window.getSelection();
    if (selection?.anchorNode && this.popup?.contains(selection.anchorNode)) selection.removeAllRanges();
    this.inner?.destroy();
    this.inner = null;
    this.popup?.remove();
    this.popup = null;
  }

  private dispatchInner(tr: Transaction): void {
    if (!this.inner) return;
    const { state, transactions } = this.inner.state.applyTransaction(tr);
    this.inner.updateState(state);
    if (tr.getMeta("fromOutside")) return;
    const pos = this.getPos();
    if (pos === undefined) return;
    const outerTr = this.outer.state.tr;
    const offsetMap = StepMap.offset(pos + 1);
    for (const t of transactions) for (const step of t.steps) outerTr.step(step.map(offsetMap) ?? step);
    if (outerTr.docChanged) this.outer.dispatch(outerTr);
  }

  update(node: Node, decorations: readonly Decoration[]): boolean {
    if (!node.sameMarkup(this.node) && node.type !== this.node.type) return false;
    this.node = node;
    this.render(decorations);
    if (this.inner) {
      const state = this.inner.state;
      const range = changedRange(node, state.doc);
      if (range) {
        this.inner.dispatch(
          state.tr
            .replace(range.start, range.endAfter, node.slice(range.start, range.endBefore))
            .setMeta("fromOutside", true),
        );
      }
    }
    return true;
  }

  destroy(): void {
    this.close();
  }

  stopEvent(event: Event): boolean {
    return !!this.popup?.contains(event.target as globalThis.Node);
  }

  ignoreMutation(): boolean {
    return true;
  }
}

/** Inserts an empty note of the given kind at the selection and opens it. */
export function insertNote(view: EditorView, kind: NoteKind = "editorial"): boolean {
  const { state } = view;
  const note = schema.nodes.note.create({ id: `note-${Math.random().toString(36).slice(2, 10)}`, kind });
  const at = state.selection.from;
  const tr = state.tr.replaceSelectionWith(note, false);
  // Select the new note so that its view opens the nested editor for typing its text.
  const pos = tr.mapping.map(at, -1);
  if (tr.doc.nodeAt(pos)?.type === schema.nodes.note) tr.setSelection(NodeSelection.create(tr.doc, pos));
  view.dispatch(tr);
  return true;
}
