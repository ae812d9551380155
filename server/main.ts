/**
 * `npm start`: seeds the editions, starts the server and prints its address.
 * Environment: PORT (8080), HOST (127.0.0.1), VARIORUM_DATA (./data).
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { consoleLog } from "./log.ts";
import { startServer } from "./server.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const log = consoleLog();
const server = await startServer({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? "127.0.0.1",
  dataDir: resolve(process.env.VARIORUM_DATA ?? "data"),
  editionsDir: join(root, "editions"),
  clientDir: join(root, "dist/client"),
  log,
});
console.log(`Variorum is running at ${server.url}`);
const claim = server.auth.claimToken();
if (claim) {
  console.log(
    `No account exists yet. Open this one-time link to become the owner:\n  ${server.url}/claim/${claim}`,
  );
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: closing connections and compacting open documents`);
    void server.close().then(() => process.exit(0));
  });
}
