/**
 * The apparatus panel's editor of one entry: its type, each witness's reading (what it reads, its
 * status, its words bound to the shared text), the entry's note, and re-attaching or deleting it.
 */
import {
  type ApparatusEntry,
  decide,
  deleteEntry,
  noteText,
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
import { removeVariantMarkup } from "./markup.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";
import { bindYText } from "./yTextField.ts";

/**
 * Draws entry `id` into `editor`; returns the functions that unbind its fields from the shared texts.
 * `lemma` is its words in the text ("" for an addition); a detached entry can be re-attached.
 */
export function drawEntryEditor(
  editor: HTMLElement,
  wb: Workbench,
  id: string,
  entry: ApparatusEntry,
  lemma: string,
  isDetached: boolean,
  on: { reattach(id: string, isAddition: boolean): void; deleted(): void },
): (() => void)[] {
  const unbind: (() => void)[] = [];
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
  // An addition's readings "add"; a lemma's (a detached one's too) "read".
  const isAddition = isDetached ? entry.type === "addition" && !entry.recordedLemma : lemma === "";
  const statusSelect = (siglum: string) => {
    const select = h(
      "select",
      {
        disabled: !wb.canReview,
        "aria-label": `Status of ${siglum}'s reading`,
        onchange: () =>
          wb.ydoc.transact(
            () => decide(wb.ydoc, id, { status: select.value as Status, sigla: [siglum] }, wb.user()),
            PANEL_ORIGIN,
          ),
      },
      ...STATUSES.map((s) =>
        h("option", { value: s, selected: s === (entry.decisions[siglum]?.status ?? "proposed") }, s),
      ),
    );
    return select;
  };
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
        h("option", { value: "text", selected: reading?.kind === "text" }, isAddition ? "adds" : "reads"),
        h("option", { value: "om", selected: reading?.kind === "om" }, "om. (omits)"),
      );
      const row = h(
        "div",
        { className: "reading-row" },
        h("span", { className: "siglum", title: w.title }, w.siglum),
        kind,
      );
      if (reading) {
        const d = entry.decisions[w.siglum];
        row.append(
          statusSelect(w.siglum),
          h(
            "span",
            { className: "hint decided" },
            d?.by ? `${d.by}${d.at ? `, ${new Date(d.at).toLocaleString()}` : ""}` : "",
          ),
        );
      }
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
    h("h3", {}, `Entry ${id}${isDetached ? " (detached)" : ""}`),
    h(
      "p",
      { className: "lemma-text" },
      isDetached
        ? `Detached: its lemma was deleted from the text. It was on: ${entry.recordedLemma ? `“${entry.recordedLemma}”` : "(words not recorded)"}`
        : lemma
          ? `Lemma: ${lemma}`
          : "Addition (no lemma)",
    ),
    isDetached && wb.canEdit
      ? h(
          "button",
          { type: "button", onclick: () => on.reattach(id, isAddition) },
          isAddition ? "Re-attach at the caret" : "Re-attach to the selection",
        )
      : null,
    h("label", {}, "Type ", typeSelect),
    h(
      "p",
      { className: "entry-status" },
      "Status of the entry (from its readings): ",
      h("span", { className: `badge status ${entry.status}` }, entry.status),
    ),
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
            on.deleted();
          },
        },
        "Delete entry",
      ),
  );
  return unbind;
}
