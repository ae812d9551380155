/**
 * The glossary panel: link the selection to an entry (search as you type, or create one), edit entries,
 * see every occurrence, and find the unlinked mentions of an entry's forms to link the ones accepted.
 */
import * as Y from "yjs";
import {
  GLOSSARY_KINDS,
  type GlossaryKind,
  type GlossaryRecord,
  glossaryMap,
  listGlossary,
  readGlossaryEntry,
  searchGlossary,
} from "../schema/glossary.ts";
import { ROOTS } from "../schema/layout.ts";
import { findUnlinkedMentions, linkMentions, type Mention } from "../schema/mentions.ts";
import { authorityFields } from "./authorityIds.ts";
import { fill, h } from "./dom.ts";
import { createAndLink, linkSelection, selectRange } from "./markup.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";
import { bindYText } from "./yTextField.ts";

export function mountGlossaryPanel(root: HTMLElement, wb: Workbench): () => void {
  let selected: string | null = null;
  let mentions: Mention[] = [];
  let unbind: (() => void)[] = [];
  const message = h("p", { className: "panel-message", role: "status" });
  const search = h("input", {
    type: "search",
    placeholder: "Search persons, organisations, terms…",
    "aria-label": "Search the glossary",
    oninput: () => renderResults(),
  });
  const results = h("ul", {
    className: "gloss-results",
    "aria-label": "Glossary entries matching the search",
  });
  const kind = h(
    "select",
    { "aria-label": "Kind of new entry" },
    ...GLOSSARY_KINDS.map((k) => h("option", { value: k }, k)),
  );
  const create = h(
    "button",
    {
      type: "button",
      onclick: () => {
        const { from, to } = wb.view.state.selection;
        const headword = search.value.trim() || wb.view.state.doc.textBetween(from, to, " ");
        if (!headword) {
          message.textContent = "type a headword or select the words to link";
          return;
        }
        const r = createAndLink(wb.view, wb.ydoc, kind.value as GlossaryKind, headword);
        message.textContent = r.ok ? `created ${headword} and linked the selection` : r.reason;
        if (r.ok) {
          selected = r.id;
          render();
        }
      },
    },
    "Create entry and link",
  );
  const mentionBox = h("div", { className: "mentions" });
  const editor = h("div", { className: "gloss-editor" });
  root.append(
    h(
      "p",
      { className: "hint" },
      wb.canEdit
        ? "Select words in the text, then pick an entry to link them to, or create one."
        : "Search the glossary.",
    ),
    search,
    results,
    wb.canEdit ? h("div", { className: "row" }, kind, create) : "",
    message,
    wb.canEdit
      ? h(
          "button",
          {
            type: "button",
            onclick: () => findMentions(),
            "aria-label": "Find unlinked mentions of glossary entries",
          },
          "Find unlinked mentions",
        )
      : "",
    mentionBox,
    editor,
  );

  const renderResults = () => {
    const entries = searchGlossary(listGlossary(wb.ydoc), search.value);
    results.replaceChildren(
      ...entries.slice(0, 60).map((e) =>
        h(
          "li",
          { "aria-current": e.id === selected ? "true" : undefined },
          h(
            "button",
            {
              type: "button",
              className: "gloss-link",
              title: wb.canEdit ? "Link the selection to this entry" : "Show this entry",
              onclick: () => {
                if (!wb.canEdit) {
                  selected = e.id;
                  render();
                  return;
                }
                const r = linkSelection(wb.view, e.id);
                message.textContent = r.ok ? `linked to ${e.headword}` : r.reason;
                selected = e.id;
                render();
              },
            },
            `${e.headword}`,
          ),
          h("span", { className: "badge" }, e.kind),
          h(
            "button",
            {
              type: "button",
              className: "small",
              onclick: () => {
                selected = e.id;
                render();
              },
              "aria-label": `Edit ${e.headword}`,
            },
            "edit",
          ),
        ),
      ),
    );
  };

  const findMentions = () => {
    mentions = findUnlinkedMentions(wb.view.state.doc, listGlossary(wb.ydoc));
    renderMentions();
  };

  const renderMentions = () => {
    if (mentions.length === 0) {
      mentionBox.replaceChildren(h("p", { className: "hint" }, "No unlinked mentions."));
      return;
    }
    const boxes = mentions.map((m, i) =>
      h("input", { type: "checkbox", checked: true, "aria-label": `Link mention ${i + 1}: ${m.text}` }),
    );
    const names = new Map(listGlossary(wb.ydoc).map((g) => [g.id, g.headword]));
    mentionBox.replaceChildren(
      h("h3", {}, `${mentions.length} unlinked mention${mentions.length === 1 ? "" : "s"}`),
      h(
        "ul",
        {},
        ...mentions.map((m, i) =>
          h(
            "li",
            {},
            boxes[i] as HTMLInputElement,
            h(
              "button",
              { type: "button", className: "small", onclick: () => selectRange(wb.view, m.from, m.to) },
              "show",
            ),
            ` ${m.text} → ${names.get(m.entry) ?? m.entry}: …${m.context}…`,
          ),
        ),
      ),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            const accepted = mentions.filter((_, i) => (boxes[i] as HTMLInputElement).checked);
            wb.view.dispatch(linkMentions(wb.view.state.tr, accepted));
            message.textContent = `linked ${accepted.length} mention${accepted.length === 1 ? "" : "s"}`;
            mentions = [];
            mentionBox.replaceChildren();
          },
        },
        "Link the checked mentions",
      ),
    );
  };

  const occurrences = (id: string) => {
    const out: { from: number; to: number; text: string }[] = [];
    wb.view.state.doc.descendants((node, pos) => {
      if (node.isText && node.marks.some((m) => m.type.name === "gloss" && m.attrs.entry === id)) {
        const last = out.at(-1);
        if (last && last.to === pos) {
          last.to = pos + node.nodeSize;
          last.text += node.text;
        } else out.push({ from: pos, to: pos + node.nodeSize, text: node.text ?? "" });
      }
      return true;
    });
    return out;
  };

  const renderEditor = () => {
    for (const u of unbind) u();
    unbind = [];
    const entry: GlossaryRecord | null = selected ? readGlossaryEntry(wb.ydoc, selected) : null;
    if (!selected || !entry) {
      editor.replaceChildren();
      return;
    }
    const map = glossaryMap(wb.ydoc, selected);
    const set = (key: string, value: unknown) => wb.ydoc.transact(() => map.set(key, value), PANEL_ORIGIN);
    const field = (label: string, key: "headword", pattern?: string) =>
      h(
        "label",
        { className: "block" },
        `${label} `,
        h("input", {
          value: entry[key],
          pattern,
          "aria-label": label,
          onchange: (e: Event) => {
            const input = e.target as HTMLInputElement;
            if (input.checkValidity()) set(key, input.value.trim());
            else message.textContent = `${label}: "${input.value}" is not a valid identifier`;
          },
        }),
      );
    const definition = h("textarea", { rows: 4, "aria-label": "Definition" });
    unbind.push(bindYText(definition, map.get("definition") as Y.Text));
    const forms = h("input", {
      value: entry.forms.join("; "),
      "aria-label": "Other forms, separated by semicolons",
      onchange: () => {
        const next = forms.value
          .split(";")
          .map((f) => f.trim())
          .filter(Boolean);
        const arr = map.get("forms") as Y.Array<string>;
        wb.ydoc.transact(() => {
          arr.delete(0, arr.length);
          arr.push(next);
        }, PANEL_ORIGIN);
      },
    });
    const kindSelect = h(
      "select",
      { "aria-label": "Kind", onchange: () => set("kind", kindSelect.value) },
      ...GLOSSARY_KINDS.map((k) => h("option", { value: k, selected: k === entry.kind }, k)),
    );
    const occ = occurrences(selected);
    fill(
      editor,
      h("h3", {}, entry.headword),
      field("Headword", "headword"),
      h("label", { className: "block" }, "Kind ", kindSelect),
      h("label", { className: "block" }, "Other forms ", forms),
      h("label", { className: "block" }, "Definition ", definition),
      authorityFields(entry, set, (m) => {
        message.textContent = m;
      }),
      entry.source ? h("p", { className: "hint" }, `Source: ${entry.source}`) : null,
      h("h4", {}, `${occ.length} occurrence${occ.length === 1 ? "" : "s"}`),
      h(
        "ul",
        { className: "occurrences" },
        ...occ.map((o) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", className: "small", onclick: () => selectRange(wb.view, o.from, o.to) },
              o.text,
            ),
          ),
        ),
      ),
    );
  };

  const render = () => {
    renderResults();
    renderEditor();
    if (!wb.canEdit) {
      for (const el of editor.querySelectorAll("input, textarea, select")) {
        (el as HTMLInputElement).disabled = true;
      }
    }
  };
  const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    if (
      events.every((e) => e.target instanceof Y.Text) &&
      (tr.origin === PANEL_ORIGIN || editor.contains(document.activeElement))
    )
      return;
    wb.schedule(render);
  };
  wb.ydoc.getMap(ROOTS.glossary).observeDeep(onChange);
  wb.selectGlossary = (id: string) => {
    selected = id;
    render();
  };
  render();
  return () => {
    wb.ydoc.getMap(ROOTS.glossary).unobserveDeep(onChange);
    for (const u of unbind) u();
  };
}
