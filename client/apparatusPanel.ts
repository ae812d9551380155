/**
 * The apparatus panel: every entry in document order, printed as an apparatus line
 * (`lemma] reading WD; om. Q`); clicking one selects its lemma; the selected entry is edited below:
 * type, status, each witness's reading, the editor's note.
 */
import * as Y from "yjs";
import {
  decide,
  deleteEntry,
  detachedEntries,
  formatEntry,
  noteText,
  placements,
  readEntry,
  readingText,
  removeReading,
  STATUSES,
  type Status,
  setReading,
  VARIANT_TYPE_LABELS,
  VARIANT_TYPES,
  type VariantType,
} from "../schema/apparatus.ts";
import { ROOTS } from "../schema/layout.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { fill, h } from "./dom.ts";
import { addVariant, removeVariantMarkup, selectRange } from "./markup.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";
import { bindYText } from "./yTextField.ts";

export function mountApparatusPanel(root: HTMLElement, wb: Workbench): () => void {
  let selected: string | null = null;
  const message = h("p", { className: "panel-message", role: "status" });
  const list = h("ol", { className: "apparatus-list", "aria-label": "Apparatus entries in document order" });
  const detached = h("div", { className: "detached" });
  const editor = h("div", { className: "entry-editor" });
  let unbind: (() => void)[] = [];

  const add = h(
    "button",
    {
      type: "button",
      "aria-label": "Add variant reading at the selection",
      onclick: () => {
        const result = addVariant(wb.view, wb.ydoc, wb.user());
        message.textContent = result.ok ? "" : result.reason;
        if (result.ok) {
          selected = result.id;
          render();
        }
      },
    },
    "Add variant at selection",
  );
  root.append(
    h(
      "p",
      { className: "hint" },
      wb.canEdit
        ? "Select the lemma in the text (or put the caret where a witness adds words), then:"
        : wb.canReview
          ? "You may decide on entries and comment on them."
          : "You may read the apparatus.",
    ),
    wb.canEdit ? add : "",
    message,
    list,
    detached,
    editor,
  );

  const render = () => {
    const doc = wb.view.state.doc;
    const placed = placements(doc);
    list.replaceChildren(
      ...placed.map((p) => {
        const entry = readEntry(wb.ydoc, p.id);
        if (!entry) return h("li", {}, `${p.id}: no record`);
        return h(
          "li",
          {
            className: `entry status-${entry.status}`,
            "aria-current": p.id === selected ? "true" : undefined,
          },
          h(
            "button",
            {
              type: "button",
              className: "entry-line",
              "data-app": p.id,
              onclick: () => {
                selected = p.id;
                if (p.to > p.from) selectRange(wb.view, p.from, p.to);
                render();
              },
            },
            formatEntry(p.lemma, entry),
          ),
          h("span", { className: "badge type" }, VARIANT_TYPE_LABELS[entry.type]),
          h("span", { className: `badge status ${entry.status}` }, entry.status),
        );
      }),
    );
    const lost = detachedEntries(wb.ydoc, doc);
    detached.replaceChildren(
      ...(lost.length
        ? [
            h("h3", {}, "Detached entries"),
            h(
              "p",
              { className: "hint" },
              "Their lemma was deleted from the text; they are kept, never moved elsewhere.",
            ),
            h(
              "ul",
              {},
              ...lost.map((id) =>
                h(
                  "li",
                  {},
                  h(
                    "button",
                    {
                      type: "button",
                      onclick: () => {
                        selected = id;
                        render();
                      },
                    },
                    id,
                  ),
                ),
              ),
            ),
          ]
        : []),
    );
    renderEditor(placed.find((p) => p.id === selected)?.lemma ?? "");
  };

  let shown = "";
  const renderEditor = (lemma: string) => {
    const entry = selected ? readEntry(wb.ydoc, selected) : null;
    // Rebuild only when the entry's shape changes: the fields bound to Y.Texts stay live meanwhile, so
    // nobody's typing is cut off by someone else's change.
    const shape = JSON.stringify([
      selected,
      lemma,
      entry && [
        entry.type,
        entry.status,
        entry.decidedBy,
        Object.entries(entry.readings).map(([k, r]) => [k, r.kind]),
      ],
      listWitnesses(wb.ydoc).map((w) => w.siglum),
    ]);
    if (shape === shown) return;
    shown = shape;
    for (const u of unbind) u();
    unbind = [];
    if (!selected || !entry) {
      editor.replaceChildren();
      return;
    }
    const id = selected;
    const base = String(wb.ydoc.getMap(ROOTS.meta).get("baseWitness") ?? "");
    const typeSelect = h(
      "select",
      {
        disabled: !wb.canReview,
        "aria-label": "Type of variant",
        onchange: () =>
          wb.ydoc.transact(
            () => decide(wb.ydoc, id, { type: typeSelect.value as VariantType }, wb.user()),
            PANEL_ORIGIN,
          ),
      },
      ...VARIANT_TYPES.map((t) =>
        h("option", { value: t, selected: t === entry.type }, VARIANT_TYPE_LABELS[t]),
      ),
    );
    const statusSelect = h(
      "select",
      {
        disabled: !wb.canReview,
        "aria-label": "Status",
        onchange: () =>
          wb.ydoc.transact(
            () => decide(wb.ydoc, id, { status: statusSelect.value as Status }, wb.user()),
            PANEL_ORIGIN,
          ),
      },
      ...STATUSES.map((s) => h("option", { value: s, selected: s === entry.status }, s)),
    );
    const rows = listWitnesses(wb.ydoc)
      .filter((w) => w.siglum !== base)
      .map((w) => {
        const reading = entry.readings[w.siglum];
        const kind = h(
          "select",
          {
            disabled: !wb.canEdit,
            "aria-label": `What ${w.siglum} reads`,
            onchange: () =>
              wb.ydoc.transact(() => {
                if (kind.value === "none") removeReading(wb.ydoc, id, w.siglum);
                else setReading(wb.ydoc, id, w.siglum, { kind: kind.value as "text" | "om", text: "" });
              }, PANEL_ORIGIN),
          },
          h("option", { value: "none", selected: !reading }, "— no reading"),
          h("option", { value: "text", selected: reading?.kind === "text" }, lemma ? "reads" : "adds"),
          h("option", { value: "om", selected: reading?.kind === "om" }, "om. (omits)"),
        );
        const row = h(
          "div",
          { className: "reading-row" },
          h("span", { className: "siglum", title: w.title }, w.siglum),
          kind,
        );
        const text = reading?.kind === "text" ? readingText(wb.ydoc, id, w.siglum) : null;
        if (text) {
          const input = h("textarea", {
            rows: 2,
            readOnly: !wb.canEdit,
            "aria-label": `Reading of ${w.siglum}`,
          });
          unbind.push(bindYText(input, text));
          row.append(input);
        }
        return row;
      });
    const note = h("textarea", {
      rows: 2,
      readOnly: !wb.canEdit,
      "aria-label": "Editor's note on this entry",
    });
    unbind.push(bindYText(note, noteText(wb.ydoc, id)));
    fill(
      editor,
      h("h3", {}, `Entry ${id}`),
      h("p", { className: "lemma-text" }, lemma ? `Lemma: ${lemma}` : "Addition (no lemma)"),
      h("label", {}, "Type ", typeSelect),
      h("label", {}, "Status ", statusSelect),
      entry.decidedBy
        ? h(
            "p",
            { className: "hint" },
            `Last decided by ${entry.decidedBy}${entry.decidedAt ? ` at ${new Date(entry.decidedAt).toLocaleString()}` : ""}`,
          )
        : null,
      h("fieldset", {}, h("legend", {}, "Readings"), ...rows),
      h("label", { className: "block" }, "Note ", note),
      wb.canReview
        ? h("button", { type: "button", onclick: () => wb.commentOnEntry(id) }, "Comment on this entry")
        : null,
      wb.canEdit &&
        h(
          "button",
          {
            type: "button",
            className: "danger",
            onclick: () => {
              removeVariantMarkup(wb.view, id);
              wb.ydoc.transact(() => deleteEntry(wb.ydoc, id), PANEL_ORIGIN);
              selected = null;
              render();
            },
          },
          "Delete entry",
        ),
    );
  };

  // Re-render on changes that are not typing inside this panel's own fields.
  const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    if (tr.origin === PANEL_ORIGIN && events.every((e) => e.target instanceof Y.Text)) return;
    if (events.every((e) => e.target instanceof Y.Text && editor.contains(document.activeElement))) return;
    wb.schedule(render);
  };
  for (const name of [ROOTS.apparatus, ROOTS.decisions, ROOTS.witnesses])
    wb.ydoc.getMap(name).observeDeep(onChange);
  wb.onDocChange(() => wb.schedule(render));
  wb.selectEntry = (id: string) => {
    selected = id;
    render();
  };
  render();
  return render;
}
