/**
 * The controls of a transcription page, for marking up what the scan shows: a page break (with the page
 * number the source prints), a line break, a gap (words missing or unreadable, and why), words read with
 * doubt (unclear) and words an editor supplies (supplied, shown in brackets). Each is a TEI element in the
 * export; none adds words to the witness's text.
 */
import { toggleMark } from "prosemirror-commands";
import type { Command } from "prosemirror-state";
import { schema } from "../schema/schema.ts";
import type { ToolbarItem } from "./toolbar.ts";

/** The page number after the last page break before the caret (1 when there is none, or it is not a number). */
function nextPageNumber(state: Parameters<Command>[0]): string {
  let last: string | null = null;
  state.doc.nodesBetween(0, state.selection.from, (node) => {
    if (node.type === schema.nodes.page_break && node.attrs.n) last = String(node.attrs.n);
  });
  const n = last === null ? 0 : Number.parseInt(last, 10);
  return Number.isFinite(n) ? String(n + 1) : "";
}

const insertInline =
  (make: (state: Parameters<Command>[0]) => ReturnType<typeof schema.nodes.gap.create> | null): Command =>
  (state, dispatch) => {
    if (!state.selection.$from.parent.inlineContent) return false;
    if (!dispatch) return true;
    const node = make(state);
    if (node) dispatch(state.tr.replaceSelectionWith(node, false).scrollIntoView());
    return true;
  };

export function transcriptionItems(ask: (question: string, answer: string) => string | null): ToolbarItem[] {
  const { nodes, marks } = schema;
  return [
    {
      label: "Page",
      title: "Page break: the next page of the source begins here",
      key: "Mod-Alt-p",
      command: insertInline((state) => {
        const n = ask("Page number, as the source prints it:", nextPageNumber(state));
        return n === null ? null : nodes.page_break.create({ n: n.trim() || null });
      }),
    },
    {
      label: "Line",
      title: "Line break of the source",
      key: "Shift-Enter",
      command: insertInline(() => nodes.hard_break.create()),
    },
    {
      label: "Gap",
      title: "Gap: words missing or unreadable here",
      key: "Mod-Alt-x",
      command: insertInline(() => {
        const reason = ask("Why are words missing here? (illegible, damage, cut, …)", "illegible");
        if (reason === null) return null;
        const extent = ask("How many words are missing? (leave empty if unknown)", "");
        return nodes.gap.create({
          reason: reason.trim() || null,
          extent: extent?.trim() || null,
          unit: extent?.trim() ? "word" : null,
        });
      }),
    },
    {
      label: "Unclear",
      title: "Unclear: the selected words are read with doubt",
      key: "Mod-Alt-u",
      command: toggleMark(marks.unclear),
      active: (state) => state.doc.rangeHasMark(state.selection.from, state.selection.to, marks.unclear),
    },
    {
      label: "Supplied",
      title: "Supplied: the selected words are an editor's, where the source lacks them",
      key: "Mod-Alt-s",
      command: toggleMark(marks.supplied),
      active: (state) => state.doc.rangeHasMark(state.selection.from, state.selection.to, marks.supplied),
    },
  ];
}
