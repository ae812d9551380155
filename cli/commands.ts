import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { collate, variantsJson } from "../schema/collate.ts";
import { readingEdition } from "../schema/html.ts";
import { exportLatex } from "../schema/latex.ts";
import { ROOT_NAMES } from "../schema/layout.ts";
import { STORAGE_ORIGIN } from "../schema/origin.ts";
import { describeReport, publicationReport } from "../schema/publication.ts";
import { MARK_NAMES, NODE_NAMES } from "../schema/schema.ts";
import { importTeiBytes } from "../schema/teiImport.ts";
import { cslFiles } from "../server/cslFiles.ts";
import { type DocumentOptions, OpenDocument } from "../server/document.ts";
import { consoleLog } from "../server/log.ts";
import { checkImage } from "../server/media/imageCheck.ts";
import { readerAssets } from "../server/reader.ts";
import { copiedPlace, readerScans } from "../server/readerScans.ts";
import { seedEditions } from "../server/seed.ts";
import { bibliographyMark } from "../server/seedBibliography.ts";
import type { AsyncStore } from "../server/store/asyncStore.ts";
import { asyncSqlite } from "../server/store/sqliteAdapter.ts";
import { openSqliteStore } from "../server/store.ts";
import { editionTei } from "../server/teiExport.ts";
import { importWitness } from "../server/witnesses.ts";

/** What a published output left out and why (the editorial report), one line each. */
function printReport(doc: Y.Doc): void {
  for (const line of describeReport(publicationReport(doc))) process.stdout.write(`${line}\n`);
}

export interface CliContext {
  dataDir: string;
  /** The PostgreSQL store's URL (`VARIORUM_DATABASE_URL`); the SQLite store of `dataDir` when unset. */
  databaseUrl?: string | null;
}

export interface Command {
  summary: string;
  usage: string;
  /** Runs the command; returns the process exit code. Output goes to stdout, diagnostics to stderr. */
  run(args: string[], ctx: CliContext): Promise<number> | number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A thrown usage error: the command line is wrong, and the message says how. */
export class UsageError extends Error {}

/**
 * Runs `use` on the store the server runs on, seeded from `editions/`: PostgreSQL when
 * `ctx.databaseUrl` is set (page images' files in the data folder's `media/`, as the server keeps
 * them), the SQLite store of the data folder otherwise.
 */
export async function withStore<T>(ctx: CliContext, use: (store: AsyncStore) => T | Promise<T>): Promise<T> {
  // PostgreSQL's client is loaded only when asked for, as the server loads it (server.ts).
  const store = ctx.databaseUrl
    ? await (await import("../server/store/postgres.ts")).openPostgresStore(ctx.databaseUrl, {
        mediaDir: join(ctx.dataDir, "media"),
      })
    : asyncSqlite(openSqliteStore(ctx.dataDir));
  try {
    await seedEditions(store, join(root, "editions"), consoleLog({ quiet: true }));
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Refuses a command that works on the SQLite file itself when the store is PostgreSQL, saying what to use. */
export function sqliteOnly(ctx: CliContext, what: string, instead: string): void {
  if (ctx.databaseUrl)
    throw new Error(
      `${what} of a PostgreSQL store: use ${instead}; npx variorum ${what} works on the SQLite store of VARIORUM_DATA only (VARIORUM_DATABASE_URL is set)`,
    );
}

/** The options of a document the command line writes through, as the server does (no limits, no compaction). */
export const CLI_DOCUMENT_OPTIONS: DocumentOptions = {
  rules: { maxBytes: 64 * 1024 * 1024, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES },
  compactEvery: Number.POSITIVE_INFINITY,
  maxDocumentBytes: Number.POSITIVE_INFINITY,
  log: consoleLog({ quiet: true }),
};

/** The stored state of a document, read into a fresh Y.Doc (the live server's copy is not touched). */
export async function loadDoc(store: AsyncStore, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update, STORAGE_ORIGIN);
  return doc;
}

function output(file: string | undefined, text: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

/** Reads `--name value` options out of an argument list; returns the rest. */
export function options(args: string[], names: string[]): { rest: string[]; opts: Record<string, string> } {
  const rest: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const name = a.startsWith("--") ? a.slice(2) : null;
    if (name && names.includes(name)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      opts[name] = value;
      i++;
    } else if (name && !names.includes(name) && !["json", "partial"].includes(name)) {
      throw new UsageError(`unknown option --${name}`);
    } else rest.push(a);
  }
  return { rest, opts };
}

/** Every command, by name. */
export const commands: Record<string, Command> = {
  editions: {
    summary: "list the editions in the store (seeding it from editions/ first)",
    usage: "editions",
    run(_args, ctx) {
      return withStore(ctx, async (store) => {
        for (const e of await store.listEditions()) {
          process.stdout.write(`${e.id}\t${e.published ? "published" : "unpublished"}\t${e.title}\n`);
        }
        return 0;
      });
    },
  },
  export: {
    summary: "export an edition: TEI, the reading edition as a static site, print (PDF), LaTeX (reledmac)",
    usage: "export tei|html|pdf|latex <edition> <file or dir>",
    async run(args, ctx) {
      const [format, id, file] = args;
      if (!format || !["tei", "html", "pdf", "latex"].includes(format) || !id) {
        throw new UsageError("usage: npx variorum export tei|html|pdf|latex <edition> <file or dir>");
      }
      if (format !== "tei" && !file)
        throw new UsageError(
          `usage: npx variorum export ${format} <edition> <${format === "html" ? "dir" : "file"}>`,
        );
      if (format === "html") {
        return withStore(ctx, async (store) => {
          if (!(await store.getEdition(id))) throw new Error(`unknown edition "${id}"`);
          const edition = await loadDoc(store, id);
          const copied = { count: 0 };
          // The witnesses' page images beside the text, stored ones copied into the site (readerScans.ts).
          const scans = await readerScans(
            store,
            edition,
            id,
            async (name, use) => ((await store.hasDocument(name)) ? use(await loadDoc(store, name)) : null),
            copiedPlace(store, file as string, copied),
          );
          const files = readingEdition(edition, { ...readerAssets(), csl: cslFiles(), scans });
          mkdirSync(file as string, { recursive: true });
          for (const f of files) writeFileSync(join(file as string, f.path), f.content);
          process.stdout.write(
            `wrote ${files.length} files${copied.count ? ` and ${copied.count} page images` : ""} to ${file}: open ${join(file as string, "index.html")}\n`,
          );
          printReport(await loadDoc(store, id));
          return 0;
        });
      }
      if (format === "latex" || format === "pdf") {
        const doc = await withStore(ctx, async (store) => {
          if (!(await store.getEdition(id))) throw new Error(`unknown edition "${id}"`);
          return loadDoc(store, id);
        });
        if (format === "latex") {
          writeFileSync(file as string, exportLatex(doc, cslFiles()));
          process.stdout.write(`wrote ${file}\n`);
          printReport(doc);
          return 0;
        }
        const { renderPdf } = await import("../server/print.ts");
        const report = await renderPdf(doc, file as string);
        process.stdout.write(
          `wrote ${file}: ${report.pages} pages, ${report.lines} numbered lines, ${report.apparatus} apparatus entries\n`,
        );
        printReport(doc);
        return 0;
      }
      return withStore(ctx, async (store) => {
        if (!(await store.getEdition(id))) throw new Error(`unknown edition "${id}"`);
        const result = await editionTei(store, id, await loadDoc(store, id));
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        output(file, result.xml);
        return 0;
      });
    },
  },
  import: {
    summary: "import a TEI file as a new edition, listing what could not be represented",
    usage: "import tei <file> <new-edition-id>",
    run(args, ctx) {
      const [format, file, id] = args;
      if (format !== "tei" || !file || !id)
        throw new UsageError("usage: npx variorum import tei <file> <new-edition-id>");
      if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
        throw new UsageError(`edition id "${id}" must be lower-case letters, digits and dashes`);
      // Bytes, not a string: the import refuses what is not UTF-8 instead of reading U+FFFD.
      const result = importTeiBytes(readFileSync(file), id);
      if (!result.ok) {
        for (const e of result.errors) process.stderr.write(`${file}: ${e}\n`);
        return 1;
      }
      return withStore(ctx, async (store) => {
        if (await store.getEdition(id)) throw new Error(`edition "${id}" already exists`);
        await store.createEdition({ id, title: result.title }, id, Y.encodeStateAsUpdate(result.doc));
        // Not built from an edition folder: a folder of the same id never adds its bibliography to it.
        await store.markSeeded(bibliographyMark(id));
        for (const line of result.report.notRepresented) process.stderr.write(`${file}: ${line}\n`);
        const tally = (v: string) =>
          result.report.groups.filter((g) => g.verdict === v).reduce((n, g) => n + g.count, 0);
        process.stdout.write(
          `imported "${result.title}" as edition ${id}: ${tally("kept")} kept, ${tally("converted")} converted, ${tally("dropped")} dropped (${result.report.notRepresented.length} kind(s) listed above)\n`,
        );
        return 0;
      });
    },
  },
  witness: {
    summary: "import a witness (UTF-8 text with a provenance header, or TEI) into an edition",
    usage: "witness add <edition> <siglum> <file>",
    run(args, ctx) {
      const [sub, editionId, siglum, file] = args;
      if (sub !== "add" || !editionId || !siglum || !file)
        throw new UsageError("usage: npx variorum witness add <edition> <siglum> <file>");
      const text = readText(file);
      return withStore(ctx, async (store) => {
        if (!(await store.getEdition(editionId))) throw new Error(`unknown edition "${editionId}"`);
        // The same path as the server's, through the store: a running server picks the change up.
        const doc = await OpenDocument.open(editionId, store, CLI_DOCUMENT_OPTIONS);
        const result = await importWitness(store, doc, siglum, text, file, process.env.USER ?? null).finally(
          () => doc.destroy(),
        );
        if (!result.ok) throw new Error(result.error);
        process.stdout.write(
          `imported ${siglum} ("${result.witness.title}", ${result.blocks} blocks) into ${editionId}\n`,
        );
        return 0;
      });
    },
  },
  pages: {
    summary: "add page images (JPEG, PNG, WebP, TIFF) to a witness, in the order given",
    usage: "pages add <edition> <siglum> <image…>",
    run(args, ctx) {
      const [sub, editionId, siglum, ...files] = args;
      if (sub !== "add" || !editionId || !siglum || files.length === 0)
        throw new UsageError("usage: npx variorum pages add <edition> <siglum> <image…>");
      return withStore(ctx, async (store) => {
        if (!(await store.getEdition(editionId))) throw new Error(`unknown edition "${editionId}"`);
        if (!(await loadDoc(store, editionId)).getMap("witnesses").has(siglum))
          throw new Error(`unknown witness "${siglum}" in edition "${editionId}"`);
        // Every file is checked before any is added: a bad one leaves the witness's pages as they were.
        const checked = files.map((file) => {
          const bytes = new Uint8Array(readFileSync(file));
          const c = checkImage(bytes, file);
          if (!c.ok) throw new Error(c.error);
          return { file, bytes, ...c };
        });
        for (const c of checked) {
          const page = await store.pages.add(
            {
              editionId,
              siglum,
              kind: c.kind,
              width: c.width,
              height: c.height,
              addedBy: process.env.USER ?? null,
            },
            c.bytes,
          );
          process.stdout.write(
            `page ${page.n} of ${siglum}: ${c.file} (${c.kind}, ${c.width}×${c.height})\n`,
          );
        }
        return 0;
      });
    },
  },
  collate: {
    summary: "align a witness with a base text and print the variants (character offsets into both files)",
    usage:
      "collate <base.txt> <witness.txt> [--json] [--partial] [--ignore case,quotes,punctuation,spelling]",
    run(args) {
      const { rest, opts } = options(args, ["ignore", "lacuna-words"]);
      const [baseFile, witnessFile] = rest.filter((a) => !a.startsWith("--"));
      if (!baseFile || !witnessFile)
        throw new UsageError("usage: npx variorum collate <base.txt> <witness.txt> [--json] [--partial]");
      const base = readText(baseFile);
      const witness = readText(witnessFile);
      const ignore = new Set((opts.ignore ?? "case,quotes,punctuation,spelling").split(",").filter(Boolean));
      for (const i of ignore) {
        if (!["case", "quotes", "punctuation", "spelling"].includes(i))
          throw new UsageError(`--ignore takes case, quotes, punctuation, spelling; not "${i}"`);
      }
      const result = collate(
        base,
        witness,
        {
          partial: args.includes("--partial"),
          lacunaWords: opts["lacuna-words"] ? Number(opts["lacuna-words"]) : undefined,
          normalise: {
            case: ignore.has("case"),
            quotes: ignore.has("quotes"),
            punctuation: ignore.has("punctuation"),
            spelling: ignore.has("spelling"),
          },
        },
        { base: bodyRange(base), witness: bodyRange(witness) },
      );
      if (args.includes("--json")) {
        process.stdout.write(`${JSON.stringify(variantsJson(result), null, 2)}\n`);
      } else {
        for (const v of result.variants) {
          process.stdout.write(
            `${v.type.padEnd(13)} ${v.class.padEnd(13)} ${JSON.stringify(v.base.text)} → ${JSON.stringify(v.witness.text)}  [${v.base.start}-${v.base.end} / ${v.witness.start}-${v.witness.end}]\n`,
          );
        }
        for (const l of result.lacunae)
          process.stdout.write(`lacuna        base ${l.base.start}-${l.base.end}\n`);
        process.stdout.write(`${result.variants.length} variant(s), ${result.lacunae.length} lacuna(e)\n`);
      }
      return 0;
    },
  },
};

/** Reads a text file, refusing one that is not UTF-8 or is empty, with the reason. */
export function readText(file: string): string {
  const bytes = readFileSync(file);
  if (bytes.length === 0) throw new Error(`${file} is empty`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not UTF-8 text`);
  }
}

/** The stretch of a file after its provenance header, if it has one (offsets stay those of the file). */
export function bodyRange(text: string): [number, number] {
  if (!/^Title: /.test(text)) return [0, text.length];
  const m = /^---\r?\n/m.exec(text);
  return m ? [m.index + m[0].length, text.length] : [0, text.length];
}
