/**
 * The command line: `npx variorum <command> …`, on the same store as the server: PostgreSQL when
 * VARIORUM_DATABASE_URL is set (read as the server reads it), the SQLite store of VARIORUM_DATA otherwise
 * (in WAL mode, which lets it run while the server does).
 */
import { resolve } from "node:path";
import { parseDatabaseUrl } from "../server/store/databaseUrl.ts";
import { adminCommands } from "./admin.ts";
import { commands as basic, type Command, UsageError } from "./commands.ts";
import { ocrCommand } from "./ocr.ts";

// ocr.ts and admin.ts use commands.ts's option parsing, so they are added here (no import circle).
const commands: Record<string, Command> = { ...basic, ...adminCommands, ocr: ocrCommand };

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  const list = Object.values(commands)
    .map((c) => `  npx variorum ${c.usage.padEnd(40)} ${c.summary}`)
    .join("\n");
  const unknown = name && name !== "help" ? `unknown command "${name}"\n\n` : "";
  process.stderr.write(`${unknown}usage:\n${list}\n`);
  process.exitCode = name && name !== "help" ? 2 : 0;
} else {
  // exitCode rather than exit(): a piped stdout must drain before the process ends.
  try {
    process.exitCode = await command.run(args, {
      dataDir: resolve(process.env.VARIORUM_DATA ?? "data"),
      databaseUrl: parseDatabaseUrl(process.env.VARIORUM_DATABASE_URL),
    });
  } catch (error) {
    process.stderr.write(`variorum ${name}: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
