/**
 * Citations and bibliographies rendered by citeproc-js in a CSL style. citeproc parses the style's XML
 * itself (no DOM needed), so this runs anywhere; the style's text is passed in.
 */
import CSL from "citeproc";
import type * as Y from "yjs";
import { escapeXml } from "../escape.ts";
import type { Citation } from "./citations.ts";
import { type CslItem, nameText, yearOf } from "./entries.ts";
import { type CitationStyleId, type CslFiles, editionStyle } from "./styles.ts";

/** One rendered bibliography entry. */
export interface RenderedEntry {
  id: string;
  /** The entry as the style writes it (HTML, or plain text). */
  body: string;
}

export type RenderFormat = "html" | "text";

/** A citation processor for one edition and one output format. */
export interface CitationRenderer {
  style: CitationStyleId;
  /** The bibliography, sorted as the style sorts it; only entries with `ids` if given. */
  bibliography(ids?: string[]): RenderedEntry[];
  /**
   * One citation (or several at one place) in note `noteIndex`, in document order: a note style gives
   * the full form first and a short form after. Unknown entries are named, not rendered.
   */
  cite(citations: Citation[], noteIndex: number): string;
}

// Reading a style costs seconds (Chicago's file is 240 kB), so one processor per style and locale is kept
// and reset for each renderer; a renderer is therefore good until the next one of the same style is made.
interface CachedEngine {
  processor: InstanceType<typeof CSL.Engine>;
  items: Map<string, CslItem>;
}
const engines = new Map<string, CachedEngine>();

function engineFor(xml: string, locale: string): CachedEngine {
  const key = `${xml}\u0000${locale}`;
  const cached = engines.get(key);
  if (cached) return cached;
  const entry = { items: new Map<string, CslItem>() } as CachedEngine;
  entry.processor = new CSL.Engine(
    { retrieveLocale: () => locale, retrieveItem: (id: string) => entry.items.get(id) },
    xml,
    "en-US",
    true,
  );
  engines.set(key, entry);
  return entry;
}

/**
 * A renderer over `items` in the given style. Throws if the style's file is not given. Use it before
 * making the next renderer of the same style (they share one processor).
 */
export function createRenderer(
  items: CslItem[],
  files: CslFiles,
  style: CitationStyleId,
  format: RenderFormat = "html",
): CitationRenderer {
  const xml = files.styles[style];
  if (!xml) throw new RangeError(`citation style "${style}" was not loaded`);
  const byId = new Map(items.map((i) => [i.id, i]));
  const engine = engineFor(xml, files.locale);
  engine.items = byId;
  engine.processor.restoreProcessorState([]);
  engine.processor.updateItems([]);
  engine.processor.setOutputFormat(format);
  const processor = engine.processor;
  const pre: [string, number][] = [];
  let counter = 0;
  let loaded = false;
  const load = () => {
    if (loaded) return;
    // Uncited as well as cited: the bibliography lists every entry, not only those cited so far.
    processor.updateUncitedItems(items.map((i) => i.id));
    loaded = true;
  };
  return {
    style,
    bibliography(ids) {
      load();
      const made = processor.makeBibliography();
      if (!made) return [];
      const [info, bodies] = made;
      // An entry the style has no form for (Chicago and a `document` without a date) is listed in the
      // errors and left out of the bodies: it gets a plain form of its own, so that no entry is lost.
      const failed = new Set(info.bibliography_errors.map((e) => String((e as { itemID?: unknown }).itemID)));
      const rendered = info.entry_ids.map((e) => String(e[0])).filter((id) => !failed.has(id));
      const bodyOf = new Map(
        rendered.map((id, i) => [
          id,
          (bodies[i] ?? "").trim().replace(/^<div class="csl-entry">([\s\S]*)<\/div>$/, "$1"),
        ]),
      );
      const out: RenderedEntry[] = info.entry_ids.map((e) => {
        const id = String(e[0]);
        const body = bodyOf.get(id);
        return { id, body: body || plainForm(byId.get(id), format) };
      });
      return ids ? out.filter((e) => ids.includes(e.id)) : out;
    },
    cite(citations, noteIndex) {
      load();
      const known = citations.filter((c) => byId.has(c.entry));
      const unknown = citations
        .filter((c) => !byId.has(c.entry))
        .map((c) => `[unknown bibliography entry “${c.entry}”]`);
      if (known.length === 0) return unknown.join("; ");
      const citationID = `c${++counter}`;
      const [, changed] = processor.processCitationCluster(
        {
          citationID,
          citationItems: known.map((c) => ({
            id: c.entry,
            ...(c.locator ? { locator: c.locator, label: c.label } : {}),
          })),
          properties: { noteIndex },
        },
        pre,
        [],
      );
      pre.push([citationID, noteIndex]);
      const mine = changed.find((c) => c[2] === citationID);
      return [mine?.[1] ?? "", ...unknown].filter(Boolean).join("; ");
    },
  };
}

/** A renderer for an edition in its chosen style, or null when the style's files were not given. */
export function editionRenderer(
  ydoc: Y.Doc,
  items: CslItem[],
  files: CslFiles | undefined,
  format: RenderFormat = "html",
): CitationRenderer | null {
  if (!files) return null;
  const style = editionStyle(ydoc);
  if (!files.styles[style]) return null;
  return createRenderer(items, files, style, format);
}

/** An entry in words, for one the style cannot write: authors, “title”, container, date. */
function plainForm(item: CslItem | undefined, format: RenderFormat): string {
  if (!item) return "";
  const names = (item.author ?? item.editor ?? []).map(nameText).join(", ");
  const container = typeof item["container-title"] === "string" ? item["container-title"] : "";
  const text = [names, item.title ? `“${item.title}”` : "", container, yearOf(item)]
    .filter(Boolean)
    .join(". ");
  const out = text ? `${text}.` : item.id;
  return format === "html" ? escapeXml(out) : out;
}
