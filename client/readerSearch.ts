/**
 * The reading edition's search box, in the masthead of every page: reads the index shipped with the
 * pages, loaded when the box is first used (`search-index.js`, a script beside this one that sets
 * `self.variorumSearch`: a page opened from disk cannot fetch JSON), shows
 * the hits grouped by kind with the matching words marked, walks them with the arrow keys, and goes to
 * one on Enter or click (its permalink: `#p12`, `#note-…`, `#app-…`, `glossary.html#gl-…`). Bundled with
 * MiniSearch as one classic script (`reader-search.js`), which file:// pages can run.
 */
import MiniSearch, { type AsPlainObject } from "minisearch";
import { searchReading } from "../schema/publish/searchHits.ts";
import {
  READING_KIND_LABELS,
  READING_SEARCH_OPTIONS,
  type ReadingSearchDoc,
} from "../schema/publish/searchOptions.ts";

declare global {
  var variorumSearch: AsPlainObject | undefined;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

// Beside this script, wherever the pages are (a folder on disk, /read/<id>/).
const INDEX_URL = new URL(
  "search-index.js",
  (document.currentScript as HTMLScriptElement | null)?.src ?? location.href,
).href;

function mount(): void {
  const masthead = document.querySelector("header.masthead");
  if (!masthead) return;
  let index: MiniSearch<ReadingSearchDoc> | null = null;
  let loading: Promise<MiniSearch<ReadingSearchDoc>> | null = null;
  const load = () => {
    loading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = INDEX_URL;
      script.onload = () => {
        const data = globalThis.variorumSearch;
        if (!data) return reject(new Error("search-index.js set no index"));
        index = MiniSearch.loadJS(data, READING_SEARCH_OPTIONS);
        resolve(index);
      };
      script.onerror = () => reject(new Error(`could not load ${INDEX_URL}`));
      document.head.append(script);
    });
    return loading;
  };
  const input = el("input", {
    type: "search",
    id: "site-search-q",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": "site-search-results",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: 'words, beginnings of words, "a phrase"',
  });
  const status = el("p", { class: "site-search-status", role: "status" });
  const list = el("div", { id: "site-search-results", role: "listbox", "aria-label": "Search results" });
  list.hidden = true;
  const box = el(
    "div",
    { class: "site-search", role: "search" },
    el("label", { for: "site-search-q" }, "Search the edition"),
    input,
    status,
    list,
  );
  masthead.append(box);
  let options: HTMLDivElement[] = [];
  let active = -1;

  const setActive = (i: number) => {
    options[active]?.setAttribute("aria-selected", "false");
    active = i;
    const option = options[active];
    if (!option) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };
  const go = (option: HTMLDivElement) => {
    const href = option.dataset.href ?? "";
    close();
    const target = new URL(href, location.href);
    // Served at /read/<id>/, index.html is this same page: only the fragment changes.
    const here =
      target.pathname === location.pathname ||
      (target.pathname.endsWith("/index.html") &&
        location.pathname === target.pathname.slice(0, -"index.html".length));
    if (!here) {
      location.href = target.href;
      return;
    }
    location.hash = target.hash;
    // The browser only scrolls; the passage also takes the focus, for keyboards and screen readers.
    if (target.hash) {
      const dest = document.getElementById(decodeURIComponent(target.hash.slice(1)));
      if (dest) {
        if (!dest.hasAttribute("tabindex")) dest.setAttribute("tabindex", "-1");
        dest.focus({ preventScroll: true });
        // A variant: its entry opens, which shows the reading found (the text shows one witness's).
        const pop = dest.classList.contains("app") ? document.getElementById(`pop-${dest.id}`) : null;
        pop?.showPopover?.();
      }
    }
  };
  const render = () => {
    if (!index) {
      status.textContent = "Loading the search index…";
      load().then(render, () => {
        status.textContent = "The search index could not be loaded.";
      });
      return;
    }
    const query = input.value;
    const hits = query.trim() ? searchReading(index, query) : [];
    options = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    // One group per kind, named by its label: "Text", "Notes", "Variants", "Glossary".
    const groups: HTMLDivElement[] = [];
    let group: HTMLDivElement | null = null;
    let kind = "";
    for (const hit of hits) {
      if (!group || hit.kind !== kind) {
        kind = hit.kind;
        const label = `site-search-group-${groups.length}`;
        group = el(
          "div",
          { role: "group", "aria-labelledby": label },
          el("div", { class: "group-label", id: label, role: "presentation" }, READING_KIND_LABELS[hit.kind]),
        );
        groups.push(group);
      }
      const snippet = el("span", { class: "snippet" });
      for (const p of hit.parts) snippet.append(p.mark ? el("mark", {}, p.text) : p.text);
      const option = el(
        "div",
        { role: "option", id: `site-search-${options.length}`, "aria-selected": "false" },
        el("span", { class: "where" }, hit.where),
        snippet,
      );
      option.dataset.href = hit.href;
      option.addEventListener("mousedown", (e) => e.preventDefault());
      option.addEventListener("click", () => go(option));
      options.push(option);
      group.append(option);
    }
    list.replaceChildren(...groups);
    list.hidden = !query.trim();
    input.setAttribute("aria-expanded", String(!list.hidden));
    status.textContent = query.trim()
      ? hits.length === 0
        ? "Nothing found."
        : `${hits.length === 60 ? "The first 60" : hits.length} result${hits.length === 1 ? "" : "s"}.`
      : "";
  };
  input.addEventListener("input", render);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden && input.value.trim()) render();
      if (options.length === 0) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (e.key === "Enter") {
      e.preventDefault();
      const option = options[active] ?? options[0];
      if (option) go(option);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  input.addEventListener("focus", () => {
    if (input.value.trim()) render();
    // Fetched once, when the box is first used: a page read without searching does not pay for it.
    else load().catch(() => {});
  });
}

mount();
