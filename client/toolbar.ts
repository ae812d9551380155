import { lift, setBlockType, toggleMark, wrapIn } from "prosemirror-commands";
import type { MarkType } from "prosemirror-model";
import { wrapInList } from "prosemirror-schema-list";
import type { Command, EditorState } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { redoCommand, undoCommand } from "y-prosemirror";
import { schema } from "../schema/schema.ts";
import { insertNote } from "./footnotes.ts";
import { keyLabel } from "./help.ts";

/** One toolbar button. */
export interface ToolbarItem {
  label: string;
  title: string;
  command: Command;
  active?: (state: EditorState) => boolean;
  /** Markup of the edition (notes, variants, links): meaningless on a witness's own transcription. */
  edition?: true;
  /** Its keyboard shortcut, in ProseMirror's key names (shown in its title and in the help overlay). */
  key?: string;
}

const markActive = (type: MarkType) => (state: EditorState) => {
  const { from, $from, to, empty } = state.selection;
  return empty ? !!type.isInSet(state.storedMarks ?? $from.marks()) : state.doc.rangeHasMark(from, to, type);
};

const blockActive =
  (name: string, attrs: Record<string, unknown> = {}) =>
  (state: EditorState) => {
    const { $from } = state.selection;
    const node = $from.parent;
    return node.type.name === name && Object.entries(attrs).every(([k, v]) => node.attrs[k] === v);
  };

/** Commands the toolbar gets from the page: opening the panels that finish the markup. */
export interface ToolbarActions {
  variant(): void;
  link(): void;
}

/** The toolbar's buttons: each runs a ProseMirror command and shows whether it applies here. */
export function toolbarItems(actions: ToolbarActions): ToolbarItem[] {
  const { nodes, marks } = schema;
  return [
    {
      label: "¶",
      title: "Paragraph",
      command: setBlockType(nodes.paragraph),
      active: blockActive("paragraph"),
    },
    {
      label: "H2",
      title: "Heading",
      command: setBlockType(nodes.heading, { level: 2 }),
      active: blockActive("heading", { level: 2 }),
    },
    {
      label: "H3",
      title: "Subheading",
      command: setBlockType(nodes.heading, { level: 3 }),
      active: blockActive("heading", { level: 3 }),
    },
    {
      label: "I",
      title: "Emphasis",
      key: "Mod-i",
      command: toggleMark(marks.em),
      active: markActive(marks.em),
    },
    {
      label: "B",
      title: "Strong",
      key: "Mod-b",
      command: toggleMark(marks.strong),
      active: markActive(marks.strong),
    },
    { label: "❝", title: "Block quotation", command: wrapIn(nodes.blockquote) },
    { label: "•", title: "Bulleted list", command: wrapInList(nodes.bullet_list) },
    { label: "1.", title: "Numbered list", command: wrapInList(nodes.ordered_list) },
    { label: "⇤", title: "Lift out of quotation or list", command: lift },
    {
      label: "Note",
      title: "Insert a footnote at the cursor",
      edition: true,
      key: "Mod-Alt-f",
      command: (_s, dispatch, view) => (dispatch && view ? insertNote(view) : true),
    },
    {
      label: "Variant",
      title: "Add a variant reading: the selection becomes its lemma (nothing selected: an addition)",
      edition: true,
      key: "Mod-Alt-v",
      command: (_s, dispatch) => {
        if (dispatch) actions.variant();
        return true;
      },
    },
    {
      label: "Link",
      title: "Link the selection to a glossary entry",
      edition: true,
      key: "Mod-Alt-g",
      command: (state, dispatch) => {
        if (state.selection.empty) return false;
        if (dispatch) actions.link();
        return true;
      },
    },
    { label: "↶", title: "Undo your last change", key: "Mod-z", command: undoCommand },
    { label: "↷", title: "Redo", key: "Mod-Shift-z", command: redoCommand },
  ];
}

/** Renders the toolbar into `root` and keeps its buttons' states in step with the editor. */
export function mountToolbar(
  root: HTMLElement,
  view: EditorView,
  items: ToolbarItem[],
): (state: EditorState) => void {
  const buttons = items.map((item) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = item.label;
    const title = item.key ? `${item.title} (${keyLabel(item.key)})` : item.title;
    button.title = title;
    // The accessible name includes the visible label (H2, Note), so that voice control finds it.
    button.setAttribute("aria-label", /[\p{L}\p{N}]/u.test(item.label) ? `${item.label} — ${title}` : title);
    const run = () => {
      item.command(view.state, view.dispatch, view);
      view.focus();
    };
    // mousedown keeps the editor's selection; click (detail 0) is Enter or Space from the keyboard.
    button.addEventListener("mousedown", (e) => {
      e.preventDefault();
      run();
    });
    button.addEventListener("click", (e) => {
      if (e.detail === 0) run();
    });
    root.append(button);
    return { item, button };
  });
  const update = (state: EditorState) => {
    for (const { item, button } of buttons) {
      button.disabled = !item.command(state, undefined, view);
      if (item.active) button.setAttribute("aria-pressed", String(item.active(state)));
    }
  };
  update(view.state);
  return update;
}
