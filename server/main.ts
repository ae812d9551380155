/**
 * `npm start`: seeds the editions, starts the server and prints its address.
 * Environment: PORT (8080), HOST (127.0.0.1), VARIORUM_DATA (./data), VARIORUM_PUBLIC_URL,
 * VARIORUM_TRUST_PROXY, VARIORUM_CONNECTIONS_PER_MINUTE (240), VARIORUM_SIGNINS_PER_MINUTE (10),
 * VARIORUM_DATABASE_URL (a PostgreSQL URL; the embedded SQLite in VARIORUM_DATA when unset),
 * VARIORUM_REDIS_URL (the bus between several servers on one PostgreSQL), VARIORUM_NODE_ID.
 */
import { join, resolve } from "node:path";
import { consoleLog } from "./log.ts";
import { parsePublicUrl, parseTrustProxy } from "./proxy.ts";
import { ROOT as root } from "./root.ts";
import { startServer } from "./server.ts";
import { parseDatabaseUrl } from "./store/databaseUrl.ts";

/** A positive whole number from the environment, or the default; exits with the reason otherwise. */
function perMinute(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name}: "${value}" is not a positive whole number`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`variorum: ${message}\n`);
  process.exit(1);
}

const log = consoleLog();
let settings: {
  publicUrl: string | null;
  trustProxy: ReturnType<typeof parseTrustProxy>;
  databaseUrl: string | null;
  redisUrl: string | null;
  nodeId: string | undefined;
};
try {
  settings = {
    publicUrl: parsePublicUrl(process.env.VARIORUM_PUBLIC_URL),
    trustProxy: parseTrustProxy(process.env.VARIORUM_TRUST_PROXY),
    databaseUrl: parseDatabaseUrl(process.env.VARIORUM_DATABASE_URL),
    redisUrl: process.env.VARIORUM_REDIS_URL?.trim() || null,
    nodeId: process.env.VARIORUM_NODE_ID?.trim() || undefined,
  };
  if (settings.redisUrl && !settings.databaseUrl)
    throw new Error(
      "VARIORUM_REDIS_URL joins several servers on one PostgreSQL: set VARIORUM_DATABASE_URL too",
    );
} catch (error) {
  fail((error as Error).message);
}
const server = await startServer({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? "127.0.0.1",
  dataDir: resolve(process.env.VARIORUM_DATA ?? "data"),
  editionsDir: join(root, "editions"),
  clientDir: join(root, "dist/client"),
  log,
  ...settings,
  rateLimits: {
    connectionsPerMinute: perMinute("VARIORUM_CONNECTIONS_PER_MINUTE", 240),
    signInPerMinute: perMinute("VARIORUM_SIGNINS_PER_MINUTE", 10),
  },
}).catch((error: Error) => fail(error.message));
for (const m of server.migrated) log.info(`store migrated to schema version ${m.version}: ${m.summary}`);
console.log(`Variorum is running at ${server.url}`);
if (server.publicUrl !== server.url) console.log(`Public address: ${server.publicUrl}`);
const claim = await server.auth.claimToken();
if (claim) {
  console.log(
    `No account exists yet. Open this one-time link to become the owner:\n  ${server.publicUrl}/claim/${claim}`,
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
