/** The card that shows a glossary entry when the pointer rests on a link to it in the text. */
import type { EditorView } from "prosemirror-view";
import type * as Y from "yjs";
import { readGlossaryEntry } from "../schema/glossary.ts";
import { authorityLinkLine } from "./authorityIds.ts";
import { fill, h } from "./dom.ts";

/** Mounts the card; returns a function that removes it. */
export function mountGlossCard(view: EditorView, ydoc: Y.Doc, onOpen: (id: string) => void): () => void {
  const card = h("div", { className: "gloss-card", role: "tooltip", hidden: true });
  document.body.append(card);
  let current: string | null = null;
  view.dom.addEventListener("mouseover", (event) => {
    const link = (event.target as HTMLElement).closest?.(".gloss") as HTMLElement | null;
    if (!link) return;
    const id = link.dataset.entry ?? "";
    const entry = readGlossaryEntry(ydoc, id);
    if (!entry) return;
    current = id;
    fill(
      card,
      h("strong", {}, entry.headword),
      h("span", { className: "badge" }, entry.kind),
      entry.forms.length ? h("div", { className: "forms" }, entry.forms.join(" · ")) : null,
      h("p", {}, entry.definition || "No definition yet."),
      authorityLinkLine(entry),
      h(
        "button",
        {
          type: "button",
          className: "small",
          onmousedown: (e: Event) => {
            e.preventDefault();
            onOpen(id);
          },
        },
        "open in glossary",
      ),
    );
    const rect = link.getBoundingClientRect();
    card.style.left = `${Math.max(8, rect.left + window.scrollX)}px`;
    card.style.top = `${rect.bottom + window.scrollY + 4}px`;
    card.hidden = false;
  });
  view.dom.addEventListener("mouseout", (event) => {
    const to = (event as MouseEvent).relatedTarget as Node | null;
    if (to && (card.contains(to) || (to as HTMLElement).closest?.(`.gloss[data-entry="${current}"]`))) return;
    card.hidden = true;
  });
  card.addEventListener("mouseleave", () => {
    card.hidden = true;
  });
  return () => card.remove();
}
