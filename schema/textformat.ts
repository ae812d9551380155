/**
 * The plain-text format in which witness texts are kept in `editions/` and imported: a provenance
 * header, a line `---`, then the text in blocks separated by blank lines.
 *
 *     Title: …            (required)
 *     Publication: …      (required)
 *     Date: …             (required)
 *     Address: …          (required: where the text can be found)
 *     Any-Other-Key: …
 *     ---
 *     ## A heading (one # per level)
 *
 *     A paragraph, exactly as the witness has it. A marker [7] becomes a footnote
 *     when the file defines it:
 *
 *     [7]: The note's text.
 *
 *     ::: note kind=original resp=ICC
 *     A remark that stands between paragraphs (it may hold paragraphs and "- " lists).
 *     :::
 *
 * Parsing never changes a witness's words: every character of a paragraph line reaches the document.
 */

/** Who made a witness text and where it can be found. */
export interface Provenance {
  title: string;
  publication: string;
  date: string;
  address: string;
  /** Further header fields, keys in lower case (`language`, `source`, `note`…). */
  extra: Record<string, string>;
}

export type TextBlock =
  | { type: "heading"; level: number; text: string }
  | { type: "paragraph"; text: string }
  | { type: "list"; items: string[] }
  | { type: "note"; kind: string; resp: string | null; blocks: TextBlock[] };

export interface WitnessText {
  provenance: Provenance;
  blocks: TextBlock[];
  /** Footnote definitions by label: `[7]: …` defines the note that `[7]` in a paragraph marks. */
  notes: Map<string, string>;
}

/** A parse that failed, with the line it failed on (1-based) and why. */
export interface FormatError {
  line: number;
  message: string;
}

export type ParseResult = { ok: true; value: WitnessText } | { ok: false; errors: FormatError[] };

const REQUIRED = ["title", "publication", "date", "address"] as const;
const NOTE_DEF = /^\[([^\]\s]+)\]: (.+)$/;

/** Parses a witness text file. Expected failures (a missing header field, an unclosed note) are values. */
export function parseWitnessText(source: string): ParseResult {
  const errors: FormatError[] = [];
  if (source.length === 0) return { ok: false, errors: [{ line: 1, message: "the file is empty" }] };
  const lines = source.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "---") break;
    if (line.trim() === "") continue;
    const m = /^([A-Za-z][A-Za-z -]*):\s*(.*)$/.exec(line);
    if (!m) {
      errors.push({
        line: i + 1,
        message: `expected a header line "Key: value" or "---", found "${clip(line)}"`,
      });
      continue;
    }
    header[(m[1] as string).trim().toLowerCase()] = (m[2] as string).trim();
  }
  if (i === lines.length)
    errors.push({ line: lines.length, message: 'no "---" line ends the provenance header' });
  for (const key of REQUIRED) {
    if (!header[key]) errors.push({ line: 1, message: `the provenance header lacks "${capital(key)}"` });
  }

  const notes = new Map<string, string>();
  const top: TextBlock[] = [];
  let noteFrame: { block: Extract<TextBlock, { type: "note" }>; line: number } | null = null;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    const target = noteFrame ? noteFrame.block.blocks : top;
    if (paragraph.every((l) => l.startsWith("- "))) {
      target.push({ type: "list", items: paragraph.map((l) => l.slice(2)) });
    } else {
      target.push({ type: "paragraph", text: paragraph.join("\n") });
    }
    paragraph = [];
  };
  for (i += 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    if (line.trim() === "") {
      flush();
      continue;
    }
    const open = /^::: note(.*)$/.exec(line);
    if (open) {
      flush();
      if (noteFrame) errors.push({ line: lineNo, message: "a note opens inside another note" });
      const attrs = parseAttrs(open[1] as string);
      noteFrame = {
        block: { type: "note", kind: attrs.kind ?? "editorial", resp: attrs.resp ?? null, blocks: [] },
        line: lineNo,
      };
      continue;
    }
    if (line === ":::") {
      flush();
      if (!noteFrame) errors.push({ line: lineNo, message: 'a ":::" closes no note' });
      else {
        top.push(noteFrame.block);
        noteFrame = null;
      }
      continue;
    }
    const def = NOTE_DEF.exec(line);
    if (def && paragraph.length === 0 && !noteFrame) {
      const label = def[1] as string;
      if (notes.has(label)) errors.push({ line: lineNo, message: `note [${label}] is defined twice` });
      notes.set(label, def[2] as string);
      continue;
    }
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    if (heading && paragraph.length === 0) {
      (noteFrame ? noteFrame.block.blocks : top).push({
        type: "heading",
        level: (heading[1] as string).length,
        text: heading[2] as string,
      });
      continue;
    }
    paragraph.push(line);
  }
  flush();
  if (noteFrame)
    errors.push({ line: noteFrame.line, message: 'a note is opened here and never closed with ":::"' });
  if (errors.length > 0) return { ok: false, errors };
  const { title, publication, date, address, ...extra } = header;
  return {
    ok: true,
    value: {
      provenance: {
        title: title as string,
        publication: publication as string,
        date: date as string,
        address: address as string,
        extra,
      },
      blocks: top,
      notes,
    },
  };
}

/** Writes a witness text back into the file format; `parseWitnessText` of the result gives it again. */
export function formatWitnessText(text: WitnessText): string {
  const { provenance } = text;
  const head = [
    `Title: ${provenance.title}`,
    `Publication: ${provenance.publication}`,
    `Date: ${provenance.date}`,
    `Address: ${provenance.address}`,
    ...Object.entries(provenance.extra).map(([k, v]) => `${capital(k)}: ${v}`),
    "---",
  ];
  const body = text.blocks.map(formatBlock);
  const defs = [...text.notes].map(([label, note]) => `[${label}]: ${note}`);
  return `${[...head, ...interleave(body), ...(defs.length ? ["", ...defs] : [])].join("\n")}\n`;
}

function formatBlock(block: TextBlock): string {
  switch (block.type) {
    case "heading":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "paragraph":
      return block.text;
    case "list":
      return block.items.map((item) => `- ${item}`).join("\n");
    case "note": {
      const attrs = [`kind=${block.kind}`, ...(block.resp ? [`resp=${block.resp}`] : [])].join(" ");
      return [`::: note ${attrs}`, ...interleave(block.blocks.map(formatBlock)), ":::"].join("\n");
    }
  }
}

function interleave(blocks: string[]): string[] {
  return blocks.flatMap((b, i) => (i === 0 ? [b] : ["", b]));
}

function parseAttrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=(\S+)/g)) out[m[1] as string] = m[2] as string;
  return out;
}

function capital(key: string): string {
  return key.replace(/(^|-)([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
