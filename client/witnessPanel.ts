/**
 * The witnesses panel: the register with each witness's description and provenance; for editors, import
 * a witness's text (UTF-8 text with a provenance header, or TEI), start a transcription, and collate a
 * witness with the base text into proposed entries to review side by side.
 */
import { ROOTS } from "../schema/layout.ts";
import { listWitnesses, setWitness, type WitnessRecord } from "../schema/witnesses.ts";
import { type CollationAnswer, collationReport } from "./collationReport.ts";
import { h } from "./dom.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";

export function mountWitnessPanel(root: HTMLElement, wb: Workbench, editionId: string): () => void {
  const api = `/api/editions/${encodeURIComponent(editionId)}/witnesses`;
  const message = h("p", { className: "panel-message", role: "status" });
  const list = h("div", { className: "witness-list" });

  const post = async (path: string, body?: BodyInit, json = false) => {
    const res = await fetch(`${api}${path}`, {
      method: "POST",
      body,
      headers: json ? { "content-type": "application/json" } : {},
    });
    const data = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(String(data.error ?? res.statusText));
    return data;
  };

  if (wb.canEdit) {
    const siglum = h("input", {
      "aria-label": "Siglum of the witness to import",
      placeholder: "WD",
      size: 6,
    });
    const file = h("input", {
      type: "file",
      accept: ".txt,.xml,text/plain,application/xml",
      "aria-label": "Witness file",
    });
    root.append(
      h(
        "form",
        {
          className: "import",
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const chosen = file.files?.[0];
            if (!chosen || !siglum.value.trim()) {
              message.textContent = "choose a siglum and a file";
              return;
            }
            try {
              const r = await post(
                `/${encodeURIComponent(siglum.value.trim())}?filename=${encodeURIComponent(chosen.name)}`,
                chosen,
              );
              message.textContent = `imported ${(r.witness as WitnessRecord).siglum}: ${r.blocks} blocks`;
            } catch (err) {
              message.textContent = (err as Error).message;
            }
          },
        },
        h("h3", {}, "Import a witness"),
        h(
          "p",
          { className: "hint" },
          "UTF-8 text with a provenance header (Title, Publication, Date, Address, then ---), or TEI.",
        ),
        h("div", { className: "row" }, siglum, file, h("button", { type: "submit" }, "Import")),
      ),
    );
  }
  if (wb.canEdit) {
    root.append(
      h(
        "fieldset",
        { className: "normalise" },
        h("legend", {}, "When collating, compare words ignoring"),
        ...[
          ["case", "case"],
          ["quotes", "typographic quotes and dashes"],
          ["punctuation", "punctuation"],
          ["spelling", "spelling pairs (-ise/-ize, labour/labor)"],
        ].map(([value, label]) =>
          h(
            "label",
            {},
            h("input", { type: "checkbox", name: "ignore", value, checked: true }),
            ` ${label} `,
          ),
        ),
        h(
          "p",
          { className: "hint" },
          "What is ignored is still entered, as orthographic or punctuation variants.",
        ),
      ),
    );
  }
  root.append(message, list);

  /** Ids of the paragraphs and headings the selection touches. */
  const selectedBlocks = (): string[] => {
    const { from, to } = wb.view.state.selection;
    const ids: string[] = [];
    wb.view.state.doc.nodesBetween(from, to, (node) => {
      if (node.isTextblock && node.attrs.id) ids.push(node.attrs.id as string);
      return !node.isTextblock;
    });
    return ids;
  };
  const cover = (w: WitnessRecord, on: boolean) => {
    const ids = selectedBlocks();
    if (ids.length === 0) {
      message.textContent = "select the paragraphs first";
      return;
    }
    const next = on
      ? [...new Set([...w.coveredBlocks, ...ids])]
      : w.coveredBlocks.filter((id) => !ids.includes(id));
    wb.ydoc.transact(() => setWitness(wb.ydoc, { ...w, coveredBlocks: next }), PANEL_ORIGIN);
    message.textContent = `${w.siglum} now covers ${next.length} paragraph${next.length === 1 ? "" : "s"} of the base text`;
  };

  const actions = (w: WitnessRecord, base: string) => {
    if (w.siglum === base) return null;
    const edit = `/editions/${encodeURIComponent(editionId)}/witness/${encodeURIComponent(w.siglum)}`;
    const review = `/editions/${encodeURIComponent(editionId)}/review/${encodeURIComponent(w.siglum)}`;
    return h(
      "div",
      { className: "row" },
      w.hasText ? h("a", { href: edit }, wb.canEdit ? "Edit its text" : "Its text") : "",
      wb.canEdit && !w.hasText
        ? h(
            "button",
            {
              type: "button",
              onclick: async () => {
                try {
                  const r = await post(`/${encodeURIComponent(w.siglum)}/transcription`);
                  location.href = String(r.editor);
                } catch (err) {
                  message.textContent = (err as Error).message;
                }
              },
            },
            "Start a transcription",
          )
        : "",
      wb.canEdit && w.hasText
        ? h(
            "button",
            {
              type: "button",
              "aria-label": `Collate ${w.siglum} with the base text`,
              onclick: async () => {
                message.textContent = `collating ${w.siglum}…`;
                try {
                  const ignore = [
                    ...root.querySelectorAll<HTMLInputElement>('input[name="ignore"]:checked'),
                  ].map((b) => b.value);
                  const r = await post(
                    `/${encodeURIComponent(w.siglum)}/collate`,
                    JSON.stringify({ ignore }),
                    true,
                  );
                  message.replaceChildren(collationReport(w.siglum, r as CollationAnswer));
                } catch (err) {
                  message.textContent = (err as Error).message;
                }
              },
            },
            "Collate",
          )
        : "",
      w.hasText ? h("a", { href: review }, "Review side by side") : "",
      wb.canEdit && w.coverage === "partial"
        ? h(
            "span",
            { className: "cover" },
            h(
              "button",
              {
                type: "button",
                className: "small",
                onclick: () => cover(w, true),
                "aria-label": `Mark the selected paragraphs as covered by ${w.siglum}`,
              },
              "covers selection",
            ),
            h(
              "button",
              {
                type: "button",
                className: "small",
                onclick: () => cover(w, false),
                "aria-label": `Mark the selected paragraphs as not covered by ${w.siglum}`,
              },
              "lacks selection",
            ),
          )
        : "",
    );
  };

  const render = () => {
    const base = String(wb.ydoc.getMap(ROOTS.meta).get("baseWitness") ?? "");
    list.replaceChildren(
      ...listWitnesses(wb.ydoc).map((w) =>
        h(
          "article",
          { className: "witness", "data-siglum": w.siglum },
          h(
            "h3",
            {},
            h("span", { className: "siglum" }, w.siglum),
            ` ${w.title}`,
            w.siglum === base ? h("span", { className: "badge" }, "base text") : "",
          ),
          actions(w, base) ?? "",
          h(
            "dl",
            {},
            ...[
              ["Publication", w.publication],
              ["Date", w.date],
              ["Language", w.language],
              [
                "Coverage",
                `${w.coverage}${w.covers ? `: ${w.covers}` : ""}${w.coverage === "partial" && w.coveredBlocks.length ? ` (${w.coveredBlocks.length} paragraphs marked)` : ""}`,
              ],
              ["Text held", w.hasText ? "yes" : "no — to be transcribed"],
              ["Description", w.description],
              ["Address", w.address],
              ["Provenance", w.provenance],
            ]
              .filter(([, v]) => v)
              .flatMap(([k, v]) => [h("dt", {}, k as string), h("dd", {}, v as string)]),
          ),
        ),
      ),
    );
  };
  const onChange = () => wb.schedule(render);
  wb.ydoc.getMap(ROOTS.witnesses).observeDeep(onChange);
  render();
  return () => wb.ydoc.getMap(ROOTS.witnesses).unobserveDeep(onChange);
}
