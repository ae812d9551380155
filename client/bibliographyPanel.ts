/**
 * The bibliography panel: the edition's entries (search, add, edit, delete), import by pasting BibTeX or
 * CSL-JSON, the entries that look like one publication twice, the citation style, and citing the
 * selected entry with a locator in a footnote or as a source of a glossary entry, witness or apparatus
 * entry. Editors change; everyone else reads.
 */
import {
  addCitation,
  type CitingTarget,
  LOCATOR_LABELS,
  type LocatorLabel,
  locatorText,
  readCitations,
  removeCitation,
} from "../schema/bibliography/citations.ts";
import { duplicatesOf, findDuplicates } from "../schema/bibliography/duplicates.ts";
import {
  ENTRY_ID,
  listBibliography,
  readBibEntry,
  setBibEntry,
  shortLabel,
} from "../schema/bibliography/entries.ts";
import type { importBibliography } from "../schema/bibliography/import.ts";
import { CITATION_STYLES, editionStyle, setEditionStyle } from "../schema/bibliography/styles.ts";
import { listGlossary } from "../schema/glossary.ts";
import { ROOTS } from "../schema/layout.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { renderEntryForm } from "./bibliographyForm.ts";
import { citeInFootnote } from "./citeCommands.ts";
import { h } from "./dom.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";

export function mountBibliographyPanel(root: HTMLElement, wb: Workbench): () => void {
  let selected: string | null = null;
  // An id is taken by any stored entry, also one that does not read as a valid item (which would be lost).
  const hasEntry = (id: string) => wb.ydoc.getMap(ROOTS.bibliography).has(id);
  const message = h("p", { className: "panel-message", role: "status" });
  const say = (text: string) => {
    message.textContent = text;
  };
  const search = h("input", {
    type: "search",
    placeholder: "Search authors, titles, years…",
    "aria-label": "Search the bibliography",
    oninput: () => renderList(),
  });
  const list = h("ul", { className: "bib-list", "aria-label": "Bibliography entries" });
  const form = h("div", { className: "bib-editor" });
  const duplicates = h("div", { className: "bib-duplicates" });
  const citeBox = h("div", { className: "bib-cite" });

  const style = h(
    "select",
    {
      "aria-label": "Citation style",
      disabled: !wb.canEdit,
      onchange: () => {
        wb.ydoc.transact(() => setEditionStyle(wb.ydoc, style.value), PANEL_ORIGIN);
        say(`citations are now written in ${CITATION_STYLES[editionStyle(wb.ydoc)].label}`);
      },
    },
    ...Object.entries(CITATION_STYLES).map(([id, s]) => h("option", { value: id }, s.label)),
  );

  const newId = h("input", { type: "text", placeholder: "new-entry-id", "aria-label": "Id of a new entry" });
  const create = h(
    "button",
    {
      type: "button",
      onclick: () => {
        const id = newId.value.trim();
        if (!ENTRY_ID.test(id)) return say(`"${id}" is not an entry id: letters, digits, _ . -`);
        if (hasEntry(id)) return say(`an entry "${id}" exists already`);
        wb.ydoc.transact(() => setBibEntry(wb.ydoc, { id, type: "book" }), PANEL_ORIGIN);
        newId.value = "";
        selected = id;
        say(`added entry ${id}: fill in its fields`);
        render();
      },
    },
    "Add entry",
  );

  const paste = h("textarea", {
    rows: 5,
    placeholder: "Paste BibTeX (@book{key, …}) or CSL-JSON ([{…}])",
    "aria-label": "BibTeX or CSL-JSON to import",
  });
  const importButton = h("button", { type: "button", onclick: () => runImport() }, "Import");
  const importReport = h("ul", { className: "bib-import-report", "aria-label": "What the import did" });

  root.append(
    h(
      "p",
      { className: "hint" },
      "The publications the edition cites. Citations are written in the style below.",
    ),
    h("label", {}, "Style ", style),
    search,
    list,
    wb.canEdit ? h("div", { className: "row" }, newId, create) : "",
    message,
    form,
    wb.canEdit ? citeBox : "",
    wb.canEdit
      ? h(
          "details",
          { className: "bib-import" },
          h("summary", {}, "Import BibTeX or CSL-JSON"),
          paste,
          importButton,
          importReport,
        )
      : "",
    duplicates,
  );

  const runImport = async () => {
    let result: ReturnType<typeof importBibliography>;
    try {
      // citation-js (120 KB) is loaded on the first import, not with every page of the workbench.
      const { importBibliography } = await import("../schema/bibliography/import.ts");
      result = importBibliography(paste.value);
    } catch (error) {
      return say((error as Error).message);
    }
    const lines: string[] = [...result.errors.map((e) => `refused: ${e}`), ...result.notes];
    const existing = listBibliography(wb.ydoc);
    const added: string[] = [];
    wb.ydoc.transact(() => {
      for (const item of result.items) {
        if (hasEntry(item.id)) {
          lines.push(`not imported: an entry "${item.id}" exists already (edit it, or change the key)`);
          continue;
        }
        const same = duplicatesOf(item, existing);
        if (same.length > 0) {
          lines.push(
            `not imported: "${item.id}" looks like ${same.map((s) => `"${s}"`).join(", ")} (same DOI, or title, year and first author)`,
          );
          continue;
        }
        setBibEntry(wb.ydoc, item);
        existing.push(item);
        added.push(item.id);
      }
    }, PANEL_ORIGIN);
    importReport.replaceChildren(...lines.map((l) => h("li", {}, l)));
    say(
      `imported ${added.length} of ${result.items.length + result.errors.length} entries (${result.format})`,
    );
    // What was refused stays in the box, to be corrected; what was imported leaves it.
    if (result.errors.length === 0 && lines.length === result.notes.length) paste.value = "";
    if (added[0]) selected = added[0];
    render();
  };

  const renderList = () => {
    const q = search.value.trim().toLowerCase();
    const items = listBibliography(wb.ydoc).filter(
      (i) => !q || `${shortLabel(i)} ${i.title ?? ""} ${i.id}`.toLowerCase().includes(q),
    );
    list.replaceChildren(
      ...items.map((i) =>
        h(
          "li",
          { "aria-current": i.id === selected ? "true" : undefined },
          h(
            "button",
            {
              type: "button",
              className: "bib-entry",
              "data-id": i.id,
              onclick: () => {
                selected = i.id;
                render();
              },
            },
            `${shortLabel(i)} — ${i.title ?? "(no title)"}`,
          ),
        ),
      ),
    );
    if (items.length === 0)
      list.append(h("li", { className: "empty" }, q ? "No entry matches." : "No entries yet."));
  };

  const renderForm = () =>
    renderEntryForm(form, wb, selected, say, (deleted) => {
      if (deleted) selected = null;
      render();
    });

  let target = "";
  const renderCite = () => {
    const item = selected ? readBibEntry(wb.ydoc, selected) : null;
    if (!item) {
      citeBox.replaceChildren(h("p", { className: "hint" }, "Pick an entry to cite it."));
      return;
    }
    const locator = h("input", { type: "text", placeholder: "12", "aria-label": "Locator" });
    const label = h(
      "select",
      { "aria-label": "Locator kind" },
      ...LOCATOR_LABELS.map((l) => h("option", { value: l }, l)),
    );
    const citation = () => ({
      entry: item.id,
      locator: locator.value.trim(),
      label: label.value as LocatorLabel,
    });
    const inNote = h(
      "button",
      {
        type: "button",
        onclick: () => {
          const c = citation();
          const loc = locatorText(c);
          const r = citeInFootnote(wb.view, c, `${shortLabel(item)}${loc ? `, ${loc}` : ""}`);
          say(
            r.ok
              ? r.into === "new"
                ? "cited in a new footnote at the cursor"
                : "cited in the footnote"
              : r.reason,
          );
        },
      },
      "Cite in a footnote",
    );
    const targets = h(
      "select",
      { "aria-label": "What cites it", onchange: () => showTargetCitations() },
      h("option", { value: "" }, "Cite as a source of…"),
      h(
        "optgroup",
        { label: "Glossary entries" },
        ...listGlossary(wb.ydoc).map((g) => h("option", { value: `glossary:${g.id}` }, g.headword)),
      ),
      h(
        "optgroup",
        { label: "Witnesses (provenance)" },
        ...listWitnesses(wb.ydoc).map((w) =>
          h("option", { value: `witness:${w.siglum}` }, `${w.siglum} — ${w.title}`),
        ),
      ),
      h(
        "optgroup",
        { label: "Apparatus entries (note)" },
        ...[...wb.ydoc.getMap(ROOTS.apparatus).keys()]
          .sort()
          .map((id) => h("option", { value: `apparatus:${id}` }, id)),
      ),
    );
    targets.value = target;
    const current = h("ul", { className: "bib-target-citations", "aria-label": "Its citations" });
    const parseTarget = (): CitingTarget | null => {
      const [kind, ...rest] = targets.value.split(":");
      const id = rest.join(":");
      return kind === "glossary" || kind === "witness" || kind === "apparatus" ? { kind, id } : null;
    };
    const showTargetCitations = () => {
      target = targets.value;
      const t = parseTarget();
      current.replaceChildren(
        ...(t
          ? readCitations(wb.ydoc, t).map((c, i) => {
              const e = readBibEntry(wb.ydoc, c.entry);
              return h(
                "li",
                {},
                `${e ? shortLabel(e) : `unknown entry ${c.entry}`}${c.locator ? `, ${locatorText(c)}` : ""} `,
                h(
                  "button",
                  {
                    type: "button",
                    "aria-label": `Remove citation ${i + 1}`,
                    onclick: () => {
                      wb.ydoc.transact(() => removeCitation(wb.ydoc, t, i), PANEL_ORIGIN);
                      showTargetCitations();
                    },
                  },
                  "×",
                ),
              );
            })
          : []),
      );
    };
    const asSource = h(
      "button",
      {
        type: "button",
        onclick: () => {
          const t = parseTarget();
          if (!t) return say("choose the glossary entry, witness or apparatus entry that cites it");
          try {
            wb.ydoc.transact(() => addCitation(wb.ydoc, t, citation()), PANEL_ORIGIN);
          } catch (error) {
            return say((error as Error).message);
          }
          say(`cited ${item.id} as a source of ${t.kind} ${t.id}`);
          showTargetCitations();
        },
      },
      "Add as source",
    );
    citeBox.replaceChildren(
      h("h3", {}, `Cite ${shortLabel(item)}`),
      h("div", { className: "row" }, label, locator),
      h("div", { className: "row" }, inNote),
      h("div", { className: "row" }, targets, asSource),
      current,
    );
    showTargetCitations();
  };

  const renderDuplicates = () => {
    const groups = findDuplicates(listBibliography(wb.ydoc));
    duplicates.replaceChildren(
      ...(groups.length
        ? [
            h("h3", {}, "Possible duplicates"),
            h(
              "ul",
              {},
              ...groups.map((g) =>
                h(
                  "li",
                  {},
                  `${g.ids.join(", ")}: same ${g.reason === "doi" ? "DOI" : "title, year and first author"} (${g.key})`,
                ),
              ),
            ),
          ]
        : []),
    );
  };

  const render = () => {
    style.value = editionStyle(wb.ydoc);
    renderList();
    renderForm();
    renderCite();
    renderDuplicates();
  };
  const onChange = (_events: unknown, tr: { origin: unknown }) => {
    // A colleague's change is shown at once; one's own form is not redrawn under the cursor.
    if (tr.origin === PANEL_ORIGIN || !form.contains(document.activeElement)) wb.schedule(render);
    else wb.schedule(renderList);
  };
  const bib = wb.ydoc.getMap(ROOTS.bibliography);
  const meta = wb.ydoc.getMap(ROOTS.meta);
  bib.observeDeep(onChange);
  meta.observe(onChange);
  render();
  return () => {
    bib.unobserveDeep(onChange);
    meta.unobserve(onChange);
  };
}
