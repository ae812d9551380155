/**
 * The bibliography panel's form for one entry: its type, authors, date and the other fields it edits
 * (anything else the entry holds is kept as it is); Save checks the entry and names a likely duplicate.
 */
import { duplicatesOf } from "../schema/bibliography/duplicates.ts";
import {
  CSL_TYPES,
  type CslItem,
  type CslName,
  deleteBibEntry,
  listBibliography,
  nameText,
  readBibEntry,
  updateBibEntry,
  yearOf,
} from "../schema/bibliography/entries.ts";
import { h } from "./dom.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";

/** The fields the form edits, in order; anything else an entry holds is kept as it is. */
const TEXT_FIELDS = [
  ["title", "Title"],
  ["container-title", "In (periodical, book, site)"],
  ["publisher", "Publisher"],
  ["publisher-place", "Place"],
  ["volume", "Volume"],
  ["issue", "Issue"],
  ["page", "Pages"],
  ["URL", "Address (URL)"],
  ["DOI", "DOI"],
  ["language", "Language"],
  ["note", "Note"],
] as const;

/**
 * Draws entry `id`'s form into `form` (empty when there is none); `say` reports, `changed` is called after
 * a save or (with true) a delete.
 */
export function renderEntryForm(
  form: HTMLElement,
  wb: Workbench,
  id: string | null,
  say: (text: string) => void,
  changed: (deleted: boolean) => void,
): void {
  const item = id ? readBibEntry(wb.ydoc, id) : null;
  if (!item) {
    form.replaceChildren();
    return;
  }
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
  const type = h(
    "select",
    { "aria-label": "Type", disabled: !wb.canEdit },
    ...CSL_TYPES.map((t) => h("option", { value: t, selected: t === item.type }, t)),
  );
  const authors = h("textarea", {
    rows: 2,
    value: (item.author ?? []).map(nameLine).join("\n"),
    "aria-label": "Authors, one a line: Family, Given (or a name without a comma for an organisation)",
    readOnly: !wb.canEdit,
  });
  const issued = h("input", {
    type: "text",
    value: dateLine(item),
    placeholder: "2021 or 2021-09-12 or words",
    "aria-label": "Date",
    readOnly: !wb.canEdit,
  });
  const rows = TEXT_FIELDS.map(([key, label]) => {
    const value = item[key];
    const input = h(key === "note" ? "textarea" : "input", {
      value: typeof value === "string" || typeof value === "number" ? String(value) : "",
      "aria-label": label,
      readOnly: !wb.canEdit,
    }) as HTMLInputElement | HTMLTextAreaElement;
    inputs.set(key, input);
    return h("label", {}, label, input);
  });
  // What the form showed, to tell the fields a person changed from those a colleague may have changed
  // since (the panel does not redraw a form that has the focus).
  const shown = {
    type: type.value,
    authors: authors.value,
    issued: issued.value,
    fields: new Map([...inputs].map(([key, input]) => [key, input.value])),
  };
  const save = h(
    "button",
    {
      type: "button",
      onclick: () => {
        // Only what changed in the form is written, field by field, into the entry as it is now.
        const changes: Record<string, unknown> = {};
        if (type.value !== shown.type) changes.type = type.value;
        if (authors.value !== shown.authors) {
          const names = keepNames(authors.value, item.author ?? []);
          changes.author = names.length > 0 ? names : undefined;
        }
        if (issued.value !== shown.issued) changes.issued = parseDate(issued.value) ?? undefined;
        for (const [key, input] of inputs)
          if (input.value !== shown.fields.get(key)) changes[key] = input.value.trim() || undefined;
        if (Object.keys(changes).length === 0) return say(`nothing changed in ${item.id}`);
        let next: CslItem;
        try {
          next = wb.ydoc.transact(() => updateBibEntry(wb.ydoc, item.id, changes), PANEL_ORIGIN);
        } catch (error) {
          return say((error as Error).message);
        }
        const same = duplicatesOf(next, listBibliography(wb.ydoc));
        say(`saved ${next.id}${same.length ? `; it looks like ${same.join(", ")}` : ""}`);
        changed(false);
      },
    },
    "Save entry",
  );
  const remove = h(
    "button",
    {
      type: "button",
      className: "danger",
      onclick: () => {
        if (!confirm(`Delete entry ${item.id}? Its citations will show as citing an unknown entry.`)) return;
        wb.ydoc.transact(() => deleteBibEntry(wb.ydoc, item.id), PANEL_ORIGIN);
        say(`deleted ${item.id}`);
        changed(true);
      },
    },
    "Delete",
  );
  form.replaceChildren(
    h("h3", {}, item.id),
    h("label", {}, "Type ", type),
    h("label", {}, "Authors", authors),
    h("label", {}, "Date", issued),
    ...rows,
    wb.canEdit ? h("div", { className: "row" }, save, remove) : "",
  );
}

function nameLine(n: CslName): string {
  return n.literal ? n.literal : n.given ? `${n.family}, ${n.given}` : (n.family ?? nameText(n));
}

/**
 * The names of the authors' lines: a line as the form showed it keeps its name as it was (particles,
 * suffix and all); another is read as "Family, Given" or a literal.
 */
function keepNames(text: string, shown: readonly CslName[]): CslName[] {
  const unused = [...shown];
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const i = unused.findIndex((n) => nameLine(n) === line);
      return i < 0 ? parseName(line) : (unused.splice(i, 1)[0] as CslName);
    });
}

function parseName(line: string): CslName {
  const comma = line.indexOf(",");
  if (comma < 0) return { literal: line };
  const family = line.slice(0, comma).trim();
  const given = line.slice(comma + 1).trim();
  return given ? { family, given } : { family };
}

function dateLine(item: CslItem): string {
  const parts = item.issued?.["date-parts"]?.[0];
  if (parts?.length) return parts.map((p, i) => (i === 0 ? String(p) : String(p).padStart(2, "0"))).join("-");
  return item.issued?.literal ?? item.issued?.raw ?? yearOf(item);
}

function parseDate(text: string): CslItem["issued"] | null {
  const t = text.trim();
  if (!t) return null;
  const m = /^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$/.exec(t);
  if (m) return { "date-parts": [[m[1], m[2], m[3]].filter(Boolean).map(Number)] };
  return { literal: t };
}
