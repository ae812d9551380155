import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { STORAGE_ORIGIN } from "../schema/origin.ts";
import { exportTei } from "../schema/tei.ts";
import { importTei } from "../schema/teiImport.ts";
import { consoleLog } from "../server/log.ts";
import { seedEditions } from "../server/seed.ts";
import { openSqliteStore, type Store } from "../server/store.ts";

export interface CliContext {
  dataDir: string;
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

function withStore<T>(ctx: CliContext, use: (store: Store) => T): T {
  const store = openSqliteStore(ctx.dataDir);
  try {
    seedEditions(store, join(root, "editions"), consoleLog({ quiet: true }));
    return use(store);
  } finally {
    store.close();
  }
}

/** The stored state of a document, read into a fresh Y.Doc (the live server's copy is not touched). */
export function loadDoc(store: Store, name: string): Y.Doc {
  const doc = new Y.Doc();
  for (const update of store.load(name).updates) Y.applyUpdate(doc, update, STORAGE_ORIGIN);
  return doc;
}

function output(file: string | undefined, text: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

/** Every command, by name. */
export const commands: Record<string, Command> = {
  editions: {
    summary: "list the editions in the store (seeding it from editions/ first)",
    usage: "editions",
    run(_args, ctx) {
      return withStore(ctx, (store) => {
        for (const e of store.listEditions()) {
          process.stdout.write(`${e.id}\t${e.published ? "published" : "unpublished"}\t${e.title}\n`);
        }
        return 0;
      });
    },
  },
  export: {
    summary: "export an edition: tei",
    usage: "export tei <edition> [file]",
    run(args, ctx) {
      const [format, id, file] = args;
      if (format !== "tei" || !id) throw new UsageError("usage: npx variorum export tei <edition> [file]");
      return withStore(ctx, (store) => {
        if (!store.getEdition(id)) throw new Error(`unknown edition "${id}"`);
        const result = exportTei(loadDoc(store, id));
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
      const result = importTei(readFileSync(file, "utf8"), id);
      if (!result.ok) {
        for (const e of result.errors) process.stderr.write(`${file}: ${e}\n`);
        return 1;
      }
      return withStore(ctx, (store) => {
        if (store.getEdition(id)) throw new Error(`edition "${id}" already exists`);
        store.createEdition({ id, title: result.title }, id, Y.encodeStateAsUpdate(result.doc));
        for (const line of result.report.notRepresented) process.stderr.write(`${file}: ${line}\n`);
        process.stdout.write(
          `imported "${result.title}" as edition ${id}; ${result.report.notRepresented.length} thing(s) not represented\n`,
        );
        return 0;
      });
    },
  },
};
