/**
 * The commands that administer a store rather than an edition: people and their tokens, and the backup
 * and restore of the SQLite file.
 */
import { isRole } from "../server/accountStore.ts";
import { Auth } from "../server/auth.ts";
import { backupStore, restoreStore } from "../server/backup.ts";
import { type Command, options, sqliteOnly, UsageError, withStore } from "./commands.ts";

export const adminCommands: Record<string, Command> = {
  user: {
    summary: "add a person to an edition with a role and print an API token; revoke a token",
    usage: "user add <name> --edition <id> --role <owner|editor|reviewer|reader> | user revoke <token>",
    run(args, ctx) {
      const [sub, ...rest] = args;
      return withStore(ctx, async (store) => {
        const auth = new Auth(store.accounts);
        if (sub === "add") {
          const { rest: names, opts } = options(rest, ["edition", "role"]);
          const [name] = names;
          if (!name || !opts.edition || !opts.role) {
            throw new UsageError(
              "usage: npx variorum user add <name> --edition <id> --role <owner|editor|reviewer|reader>",
            );
          }
          if (!isRole(opts.role))
            throw new UsageError(`role "${opts.role}" is not one of owner, editor, reviewer, reader`);
          if (!(await store.getEdition(opts.edition))) throw new Error(`unknown edition "${opts.edition}"`);
          const { user, token } = await auth.addUserWithToken(name, opts.edition, opts.role);
          process.stdout.write(
            `${user.name} is ${opts.role} of ${opts.edition}. API token (shown once; sign a browser in at /login?token=…): ${token}\n`,
          );
          return 0;
        }
        if (sub === "revoke") {
          const [token] = rest;
          if (!token) throw new UsageError("usage: npx variorum user revoke <token>");
          const found = await store.accounts.findToken(token, ["api", "session", "invite"]);
          if (!found) throw new Error("no valid token matches (already revoked, expired, or mistyped)");
          await store.accounts.revokeToken(found.id);
          process.stdout.write(`revoked ${found.kind} token ${found.id} (${found.label})\n`);
          return 0;
        }
        throw new UsageError(
          "usage: npx variorum user add <name> --edition <id> --role <role> | user revoke <token>",
        );
      });
    },
  },
  backup: {
    summary: "copy the store to a new file, consistently, even while the server writes to it",
    usage: "backup <file>",
    async run(args, ctx) {
      const [file] = args;
      if (!file || args.length > 1) throw new UsageError("usage: npx variorum backup <file>");
      sqliteOnly(ctx, "backup", "pg_dump (e.g. pg_dump --format=custom --file=<file> <database URL>)");
      const report = await backupStore(ctx.dataDir, file);
      process.stdout.write(
        `backed up ${ctx.dataDir} to ${report.file}: ${report.bytes} bytes, schema version ${report.schemaVersion}, ${report.editions} edition(s), ${report.updates} update(s) since the last snapshots\n`,
      );
      return 0;
    },
  },
  restore: {
    summary: "replace the store with a backup (refused while a server runs on it; the old store is kept)",
    usage: "restore <file>",
    run(args, ctx) {
      const [file] = args;
      if (!file || args.length > 1) throw new UsageError("usage: npx variorum restore <file>");
      sqliteOnly(ctx, "restore", "pg_restore of a pg_dump backup");
      const report = restoreStore(ctx.dataDir, file);
      process.stdout.write(
        `restored ${file} into ${ctx.dataDir}: schema version ${report.schemaVersion}, ${report.editions} edition(s)${report.previous ? `; the store it replaced is kept as ${report.previous}` : ""}\n`,
      );
      return 0;
    },
  },
};
