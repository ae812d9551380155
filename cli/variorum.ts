/**
 * The command line: `npx variorum <command> …`, reading the same store as the server (VARIORUM_DATA).
 * SQLite in WAL mode lets it run while the server does.
 */
import { resolve } from "node:path";
import { commands as basic, type Command, UsageError } from "./commands.ts";
import { ocrCommand } from "./ocr.ts";

// ocr.ts uses commands.ts's option parsing, so it is added here rather than there (no import circle).
const commands: Record<string, Command> = { ...basic, ocr: ocrCommand };

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
    process.exitCode = await command.run(args, { dataDir: resolve(process.env.VARIORUM_DATA ?? "data") });
  } catch (error) {
    process.stderr.write(`variorum ${name}: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
