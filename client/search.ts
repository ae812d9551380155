/**
 * The workbench's search box (`/` or Ctrl-K): asks the server's search, shows the results grouped by
 * kind with the matching words marked, walks them with the arrow keys, and goes to one on Enter or
 * click — selecting the words in the text, or opening the note, entry, glossary entry or thread.
 */
import type { EditorView } from "prosemirror-view";
import { h } from "./dom.ts";
import { goToBlock, goToNote } from "./goTo.ts";

interface Hit {
  kind: "text" | "witness" | "note" | "apparatus" | "glossary" | "comment" | "version";
  id: string;
  where: string;
  snippet: string;
  marks: [number, number][];
  match: string;
}

/** Where a result leads: the page's own ways of opening things. */
export interface SearchTargets {
  view: EditorView;
  selectEntry(id: string): void;
  selectGlossary(id: string): void;
  openThread(id: string): void;
  showTab(id: string): void;
}

const GROUPS: [Hit["kind"], string][] = [
  ["text", "Text"],
  ["note", "Footnotes"],
  ["witness", "Witnesses"],
  ["apparatus", "Apparatus notes"],
  ["glossary", "Glossary"],
  ["comment", "Comments"],
  ["version", "Versions"],
];

/** Mounts the search dialog: `open` shows it, `destroy` removes it. */
export function mountSearch(editionId: string, targets: SearchTargets): { open(): void; destroy(): void } {
  const input = h("input", {
    type: "search",
    "aria-label": "Search the edition",
    placeholder: "Search the text, witnesses, notes, apparatus, glossary, comments…",
    autocomplete: "off",
  });
  const status = h("p", { className: "hint", role: "status" });
  const results = h("div", { className: "search-results", role: "listbox", "aria-label": "Search results" });
  const dialog = h(
    "dialog",
    { className: "search", "aria-label": "Search" },
    input,
    h("p", { className: "hint" }, 'Words match any word they begin; "quoted words" match as a phrase.'),
    status,
    results,
  );
  document.body.append(dialog);
  let options: { el: HTMLElement; hit: Hit }[] = [];
  let active = -1;
  let seq = 0;

  const go = (hit: Hit) => {
    dialog.close();
    if (hit.kind === "text") goToBlock(targets.view, hit.id, hit.match);
    else if (hit.kind === "note") goToNote(targets.view, hit.id);
    else if (hit.kind === "apparatus") {
      targets.showTab("apparatus");
      targets.selectEntry(hit.id);
    } else if (hit.kind === "witness") {
      // A reading of an entry opens the entry; a paragraph of a transcription opens that transcription.
      const wdoc = /^([A-Z][A-Za-z0-9]*), /.exec(hit.where);
      if (wdoc && !hit.where.includes("'s reading in"))
        location.href = `/editions/${encodeURIComponent(editionId)}/witness/${encodeURIComponent(wdoc[1] as string)}`;
      else {
        targets.showTab("apparatus");
        targets.selectEntry(hit.id);
      }
    } else if (hit.kind === "glossary") {
      targets.showTab("glossary");
      targets.selectGlossary(hit.id);
    } else if (hit.kind === "comment") targets.openThread(hit.id);
    else targets.showTab("history");
  };

  const setActive = (i: number) => {
    options[active]?.el.setAttribute("aria-selected", "false");
    active = Math.max(0, Math.min(options.length - 1, i));
    const o = options[active];
    if (!o) return;
    o.el.setAttribute("aria-selected", "true");
    o.el.scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", o.el.id);
  };

  const snippet = (hit: Hit) => {
    const parts: (string | HTMLElement)[] = [];
    let at = 0;
    for (const [s, e] of hit.marks) {
      if (s < at) continue;
      parts.push(hit.snippet.slice(at, s), h("mark", {}, hit.snippet.slice(s, e)));
      at = e;
    }
    parts.push(hit.snippet.slice(at));
    return h("span", { className: "snippet" }, ...parts);
  };

  const run = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      results.replaceChildren();
      status.textContent = "";
      options = [];
      return;
    }
    const res = await fetch(
      `/api/editions/${encodeURIComponent(editionId)}/search?q=${encodeURIComponent(q)}`,
    );
    const body = (await res.json().catch(() => ({}))) as Hit[] | { error?: string };
    if (mine !== seq) return; // a later query has been typed meanwhile
    if (!res.ok || !Array.isArray(body)) {
      status.textContent = `Search refused: ${(body as { error?: string }).error ?? res.status}`;
      return;
    }
    status.textContent = body.length === 0 ? "Nothing found." : `${body.length} found.`;
    options = [];
    active = -1;
    results.replaceChildren(
      ...GROUPS.flatMap(([kind, label]) => {
        const hits = body.filter((b) => b.kind === kind);
        if (hits.length === 0) return [];
        return [
          h(
            "section",
            { role: "group", "aria-label": label },
            h("h3", {}, `${label} (${hits.length})`),
            ...hits.map((hit) => {
              const el = h(
                "div",
                {
                  role: "option",
                  id: `search-hit-${options.length}`,
                  className: "search-hit",
                  "aria-selected": "false",
                  onclick: () => go(hit),
                },
                h("span", { className: "where" }, hit.where),
                snippet(hit),
              );
              options.push({ el, hit });
              return el;
            }),
          ),
        ];
      }),
    );
    if (options.length) setActive(0);
  };

  let timer: ReturnType<typeof setTimeout> | null = null;
  input.addEventListener("input", () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") setActive(active + 1);
    else if (e.key === "ArrowUp") setActive(active - 1);
    else if (e.key === "Enter" && options[active]) go((options[active] as { hit: Hit }).hit);
    else return;
    e.preventDefault();
  });

  const open = () => {
    if (!dialog.open) dialog.showModal();
    input.select();
  };
  const onKey = (e: KeyboardEvent) => {
    const inField = (e.target as HTMLElement | null)?.closest(
      "input, textarea, select, [contenteditable='true']",
    );
    if ((e.key === "k" && (e.ctrlKey || e.metaKey) && !e.altKey) || (e.key === "/" && !inField)) {
      e.preventDefault();
      open();
    }
  };
  document.addEventListener("keydown", onKey);
  return {
    open,
    destroy: () => {
      document.removeEventListener("keydown", onKey);
      dialog.remove();
    },
  };
}
