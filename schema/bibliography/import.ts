/**
 * Reading a bibliography someone pastes or uploads: CSL-JSON (one item or a list) or BibTeX/BibLaTeX,
 * parsed by citation-js. Parse only: nothing is fetched (no DOI look-ups). BibTeX is read entry by
 * entry, so that a broken entry is refused by its key and line while the others are read.
 */
import { plugins } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import { type CslItem, CslItemSchema, ENTRY_ID, entryProblem, parseCslItem } from "./entries.ts";

/** What a paste gave: the entries read, and one line per entry refused or changed (never silent). */
export interface BibImport {
  format: "csl-json" | "bibtex";
  items: CslItem[];
  errors: string[];
  notes: string[];
}

/** Reads CSL-JSON or BibTeX. Throws (naming the reason) only when the text is neither. */
export function importBibliography(text: string): BibImport {
  const trimmed = text.trim();
  if (!trimmed) throw new RangeError("nothing to import: the text is empty");
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return importCslJson(trimmed);
  if (trimmed.includes("@")) return importBibtex(trimmed);
  throw new RangeError(
    "not a bibliography: expected CSL-JSON (starting with [ or {) or BibTeX (@type{key, …})",
  );
}

/** Reads CSL-JSON: an item or a list of items. */
export function importCslJson(text: string): BibImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RangeError(`not CSL-JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(data) ? data : [data];
  const out: BibImport = { format: "csl-json", items: [], errors: [], notes: [] };
  list.forEach((raw, i) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      out.errors.push(`item ${i + 1}: not a CSL-JSON object`);
      return;
    }
    accept(raw as Record<string, unknown>, `item ${i + 1}`, out);
  });
  return out;
}

/** Reads BibTeX or BibLaTeX, entry by entry. `@comment`, `@preamble` and `@string` are passed over. */
export function importBibtex(text: string): BibImport {
  const out: BibImport = { format: "bibtex", items: [], errors: [], notes: [] };
  const strings: string[] = [];
  for (const chunk of splitBibtex(text)) {
    if (chunk.problem) {
      out.errors.push(`BibTeX entry "${chunk.key}" (line ${chunk.line}): ${chunk.problem}`);
      continue;
    }
    if (/^@(comment|preamble)\b/i.test(chunk.text)) continue;
    if (/^@string\b/i.test(chunk.text)) {
      strings.push(chunk.text);
      continue;
    }
    let items: unknown;
    try {
      items = plugins.input.chain([...strings, chunk.text].join("\n"), {
        target: "@csl/list+object",
        generateGraph: false,
        strict: false,
        forceType: "@biblatex/text",
        maxChainLength: 10,
      });
    } catch (error) {
      out.errors.push(
        `BibTeX entry "${chunk.key}" (line ${chunk.line}): cannot be read (${(error as Error).message})`,
      );
      continue;
    }
    const list = Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
    if (list.length === 0)
      out.errors.push(`BibTeX entry "${chunk.key}" (line ${chunk.line}): no entry found in it`);
    for (const raw of list) accept(raw, `BibTeX entry "${chunk.key}" (line ${chunk.line})`, out);
  }
  if (out.items.length === 0 && out.errors.length === 0)
    throw new RangeError("no BibTeX entry (@type{key, …}) found");
  return out;
}

// citation-js's own bookkeeping, and values a CSL processor does not read as fields.
function accept(raw: Record<string, unknown>, where: string, out: BibImport): void {
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith("_")) continue;
    if (value === null || value === undefined || value === "") continue;
    item[key] = value;
  }
  const original = typeof item.id === "string" || typeof item.id === "number" ? String(item.id) : "";
  if (!original) {
    out.errors.push(`${where}: has no id`);
    return;
  }
  const id = ENTRY_ID.test(original) ? original : safeId(original);
  if (id !== original)
    out.notes.push(`${where}: id "${original}" is kept as "${id}" (ids are letters, digits, _ . -)`);
  item.id = id;
  for (const [key, value] of Object.entries(item)) {
    const known = key in CslItemSchema.shape;
    if (!known && typeof value !== "string" && typeof value !== "number") {
      out.notes.push(`${where}: field "${key}" is not kept (not a plain CSL value)`);
      delete item[key];
    }
  }
  const problem = entryProblem(item);
  if (problem) {
    out.errors.push(`${where}: ${problem.replace(/^bibliography entry "[^"]*": /, "")}`);
    return;
  }
  out.items.push(parseCslItem(item));
}

function safeId(id: string): string {
  const cleaned = id
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64);
  return cleaned || "entry";
}

interface Chunk {
  key: string;
  line: number;
  text: string;
  problem?: string;
}

/** BibTeX split into its entries by balanced braces (or parentheses), each with its key and first line. */
export function splitBibtex(text: string): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  const lineAt = (pos: number) => text.slice(0, pos).split("\n").length;
  while (i < text.length) {
    const at = text.indexOf("@", i);
    if (at < 0) break;
    const head = /^@([A-Za-z]+)\s*([{(])/.exec(text.slice(at));
    if (!head) {
      i = at + 1;
      continue;
    }
    const open = head[2] as string;
    const start = at + head[0].length;
    const keyMatch = /^\s*([^,\s}]*)/.exec(text.slice(start));
    const key = keyMatch?.[1] || `@${head[1]}`;
    let depth = 1;
    let j = start;
    let quoted = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (c === "\\") {
        j++;
        continue;
      }
      if (c === '"' && open === "{" && depth === 1) quoted = !quoted;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (open === "(" && c === ")" && depth === 1) depth = 0;
    }
    if (depth > 0) {
      out.push({
        key,
        line: lineAt(at),
        text: text.slice(at),
        problem: "its braces never close (an entry is @type{key, field = {…}, …})",
      });
      break;
    }
    const body = text.slice(at, j);
    const fields = body.slice(head[0].length);
    if (!/^(comment|preamble|string)$/i.test(head[1] as string) && !fields.includes(",")) {
      out.push({ key, line: lineAt(at), text: body, problem: "it has a key but no fields" });
    } else if (quoted) {
      out.push({ key, line: lineAt(at), text: body, problem: "a quoted value never closes" });
    } else out.push({ key, line: lineAt(at), text: body });
    i = j;
  }
  return out;
}
