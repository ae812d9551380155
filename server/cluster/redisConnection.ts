/**
 * One connection to Redis (node-redis), as every cluster module opens it: commands are refused at once
 * while the connection is down (no offline queue, so a caller learns Redis is unreachable instead of
 * waiting), it reconnects by itself for as long as the process lives, and what goes wrong is logged —
 * once per outage, naming the connection — never thrown at the process.
 */
import { createClient } from "redis";
import type { Log } from "../log.ts";

/** A connected node-redis client (RESP2). */
export type RedisConnection = ReturnType<typeof newClient>;

/** How many times the first connection is tried before `connectRedis` gives up (a wrong URL fails fast). */
const FIRST_ATTEMPTS = 5;

/** Backoff between reconnection attempts: 50 ms doubling, at most 1 s (a restarted Redis is found quickly). */
function backoff(retries: number): number {
  return Math.min(50 * 2 ** retries, 1000);
}

/** The URL without its password, for log lines and errors. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparsable Redis URL)";
  }
}

function newClient(url: string, reconnectStrategy: (retries: number, cause: Error) => number | Error) {
  return createClient({
    url,
    // RESP2: replies read raw (XREAD, XINFO) are flat arrays whatever the server's version.
    RESP: 2,
    disableOfflineQueue: true,
    socket: { reconnectStrategy },
  });
}

/**
 * Opens a connection to `url`; `role` names it in the log ("Redis publisher", "Redis reader", …).
 * Rejects with a clear message when Redis cannot be reached at all at start.
 */
export async function connectRedis(
  url: string,
  log: Log,
  role = "Redis connection",
): Promise<RedisConnection> {
  const where = redactedUrl(url);
  let everReady = false;
  let down = false;
  // A connection that once worked is retried forever (Redis restarts; the node must resume); one that
  // never did gives up, so a wrong URL is an error at start rather than a silent hang.
  const client = newClient(url, (retries, cause) =>
    everReady || retries < FIRST_ATTEMPTS
      ? backoff(retries)
      : new Error(`Redis at ${where} is unreachable: ${cause.message}`),
  );
  client.on("error", (e: unknown) => {
    if (down) return;
    down = true;
    const message = e instanceof Error ? e.message || e.name : String(e);
    if (everReady) log.warn(`${role}: lost Redis at ${where} (${message}); reconnecting`);
  });
  client.on("ready", () => {
    if (everReady && down) log.info(`${role}: Redis at ${where} is back`);
    everReady = true;
    down = false;
  });
  try {
    await client.connect();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${role}: cannot connect to Redis at ${where}: ${message}`);
  }
  return client;
}
