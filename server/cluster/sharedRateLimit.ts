/**
 * Rate limits shared by every node of a cluster (sign-in throttling, websocket connections per address):
 * one fixed-window counter per key in Redis, so a client spreading its attempts over nodes gains nothing.
 * The server calls one asynchronous interface whether it runs alone (`asyncLimiter` over the in-process
 * `rateLimiter`) or in a cluster (`redisRateLimiter`).
 */
import { createHash } from "node:crypto";
import type { Log } from "../log.ts";
import { type RateLimiter, rateLimiter } from "../rateLimit.ts";
import type { RedisConnection } from "./redisConnection.ts";

/** `RateLimiter`, asynchronous: the count may live in another process. */
export interface AsyncRateLimiter {
  /** Counts one attempt; false when the key has used up its window. */
  take(key: string): Promise<boolean>;
  /** Seconds until the key's window resets. */
  retryAfter(key: string): Promise<number>;
}

/** The in-process limiter behind the asynchronous interface (one node, or no Redis). */
export function asyncLimiter(sync: RateLimiter): AsyncRateLimiter {
  return {
    take: async (key) => sync.take(key),
    retryAfter: async (key) => sync.retryAfter(key),
  };
}

// INCR and the window's expiry in one step: a key never outlives its window without an expiry (a crash
// between two separate commands would leave a counter that never resets). Returns the count and the
// milliseconds left in the window.
const TAKE = `local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;
const TAKE_SHA = createHash("sha1").update(TAKE).digest("hex");

async function runTake(client: RedisConnection, key: string, windowMs: number): Promise<[number, number]> {
  const args = ["1", key, String(windowMs)];
  let reply: unknown;
  try {
    reply = await client.sendCommand(["EVALSHA", TAKE_SHA, ...args]);
  } catch (e) {
    // The script is not cached yet (first use, or Redis restarted): send it whole once.
    if (!(e instanceof Error && e.message.startsWith("NOSCRIPT"))) throw e;
    reply = await client.sendCommand(["EVAL", TAKE, ...args]);
  }
  if (!Array.isArray(reply)) throw new Error(`unexpected reply from the rate limit script: ${String(reply)}`);
  return [Number(reply[0]), Number(reply[1])];
}

export interface RedisRateLimiterOptions {
  /** Where the fallback to counting on this node alone is reported. */
  log?: Log;
  /** What every key starts with; `variorum:` when omitted (as the bus's). */
  prefix?: string;
}

/**
 * A fixed-window limiter of `limit` attempts per `windowMs` per key, counted in Redis under
 * `<prefix>limit:<name>:<key>`, so every node that uses the same `name` shares the count.
 *
 * When Redis is unreachable it neither refuses everyone (a Redis outage would lock every reader and
 * editor out of every node) nor lets everything through (sign-in throttling would vanish just when
 * something is wrong): it falls back to an in-process window of the same size on this node, so each node
 * still enforces the limit on its own, and says so once per outage in the log.
 */
export function redisRateLimiter(
  client: RedisConnection,
  name: string,
  limit: number,
  windowMs: number,
  options: RedisRateLimiterOptions = {},
): AsyncRateLimiter {
  const prefix = `${options.prefix ?? "variorum:"}limit:${name}:`;
  const local = rateLimiter(limit, windowMs);
  const fullWindow = Math.ceil(windowMs / 1000);
  let alone = false;
  const fallBack = (e: unknown) => {
    if (alone) return;
    alone = true;
    const message = e instanceof Error ? e.message || e.name : String(e);
    options.log?.warn(
      `rate limit "${name}": Redis unreachable (${message}); counting on this node alone until it is back`,
    );
  };
  const shared = () => {
    if (!alone) return;
    alone = false;
    options.log?.info(`rate limit "${name}": counting in Redis again`);
  };
  return {
    take: async (key) => {
      try {
        const [count] = await runTake(client, prefix + key, windowMs);
        shared();
        return count <= limit;
      } catch (e) {
        fallBack(e);
        return local.take(key);
      }
    },
    retryAfter: async (key) => {
      try {
        const ms = Number(await client.sendCommand(["PTTL", prefix + key]));
        shared();
        // No window open (or one without expiry, which TAKE never leaves): a new one would be whole.
        return ms > 0 ? Math.ceil(ms / 1000) : fullWindow;
      } catch (e) {
        fallBack(e);
        return local.retryAfter(key);
      }
    },
  };
}
