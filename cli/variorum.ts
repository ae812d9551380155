/**
 * The command line: `npx variorum <command> …`, reading the same store as the server (VARIORUM_DATA).
 * SQLite in WAL mode lets it run while the server does.
 */
import { resolve } from "node:path";
import { commands } from "./commands.ts";

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  const list = Object.entries(commands)
    .map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`)
    .join("\n");
  const unknown = name && name !== "help" ? `unknown command "${name}"\n\n` : "";
  process.stderr.write(`${unknown}usage: npx variorum <command> [arguments]\n\ncommands:\n${list}\n`);
  process.exit(name && name !== "help" ? 2 : 0);
}
try {
  const code = await command.run(args, { dataDir: resolve(process.env.VARIORUM_DATA ?? "data") });
  process.exit(code);
} catch (error) {
  process.stderr.write(`variorum ${name}: ${(error as Error).message}\n`);
  process.exit(1);
}
