/**
 * The footnotes panel: every note in document order, with its number, kind and first words; a click
 * selects the note in the text (which opens it for editing, for those who may edit).
 */
import { NodeSelection } from "prosemirror-state";
import { h } from "./dom.ts";
import { WindowedList } from "./windowedList.ts";
import type { Workbench } from "./workbench.ts";

const KIND: Record<string, string> = {
  original: "original",
  editorial: "editorial",
  translator: "translator's",
};

/** Mounts the footnotes panel in `root`; returns its cleanup. */
export function mountNotesPanel(root: HTMLElement, wb: Workbench): () => void {
  const list = h("ol", { className: "notes-list" });
  // A thousand notes in a large edition: only those in view are in the page.
  const windowed = new WindowedList(list, () => list.closest<HTMLElement>(".side"), 40);
  const count = h("p", { className: "hint" });
  let lastKey = "";
  const render = () => {
    const notes: { pos: number; id: string; kind: string; text: string }[] = [];
    wb.view.state.doc.descendants((node, pos) => {
      if (node.type.name !== "note") return true;
      notes.push({ pos, id: String(node.attrs.id), kind: String(node.attrs.kind), text: node.textContent });
      return false;
    });
    const key = JSON.stringify(notes.map((n) => [n.id, n.kind, n.text]));
    if (key === lastKey) return;
    lastKey = key;
    count.textContent = notes.length === 1 ? "1 footnote" : `${notes.length} footnotes`;
    windowed.set(
      notes.map((n, i) => ({
        // By place: two notes may share an id (a paste), and a row shows its number anyway.
        id: String(i),
        key: JSON.stringify([n.id, n.kind, n.text]),
        build: () => row(n, i),
      })),
    );
  };
  const row = (n: { id: string; kind: string; text: string }, i: number) =>
    h(
      "li",
      { value: i + 1 },
      h(
        "button",
        {
          type: "button",
          className: "link",
          onclick: () => {
            // Positions move as people type: find the note again by its id.
            let at = -1;
            wb.view.state.doc.descendants((node, pos) => {
              if (at < 0 && node.type.name === "note" && node.attrs.id === n.id) at = pos;
              return at < 0;
            });
            if (at < 0) return;
            const { state } = wb.view;
            wb.view.dispatch(state.tr.setSelection(NodeSelection.create(state.doc, at)).scrollIntoView());
            wb.view.focus();
          },
        },
        `${i + 1}. `,
      ),
      h("span", { className: "badge" }, KIND[n.kind] ?? n.kind),
      " ",
      n.text.length > 90 ? `${n.text.slice(0, 90)}…` : n.text || "(empty)",
    );
  root.append(count, list);
  // The list (a walk over the whole text) follows the text once typing pauses, not at every keystroke.
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const stopFollowing = wb.onDocChange(() => {
    clearTimeout(quiet);
    quiet = setTimeout(() => wb.schedule(render), 150);
  });
  render();
  return () => {
    stopFollowing();
    clearTimeout(quiet);
    windowed.destroy();
  };
}
