import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { consoleLog } from "../server/log.ts";
import { seedEditions } from "../server/seed.ts";
import { openSqliteStore } from "../server/store.ts";

export interface CliContext {
  dataDir: string;
}

export interface Command {
  summary: string;
  /** Runs the command; returns the process exit code. Output goes to stdout, diagnostics to stderr. */
  run(args: string[], ctx: CliContext): Promise<number> | number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every command, by name. Later issues add `export`, `collate`, `witness` and `user`. */
export const commands: Record<string, Command> = {
  editions: {
    summary: "list the editions in the store (seeding it from editions/ first)",
    run(_args, ctx) {
      const store = openSqliteStore(ctx.dataDir);
      try {
        seedEditions(store, join(root, "editions"), consoleLog({ quiet: true }));
        for (const e of store.listEditions()) {
          process.stdout.write(`${e.id}\t${e.published ? "published" : "unpublished"}\t${e.title}\n`);
        }
        return 0;
      } finally {
        store.close();
      }
    },
  },
};
