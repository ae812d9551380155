import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, type RedisConnection } from "../../server/cluster/redisConnection.ts";
import { asyncLimiter, redisRateLimiter } from "../../server/cluster/sharedRateLimit.ts";
import { memoryLog } from "../../server/log.ts";
import { rateLimiter } from "../../server/rateLimit.ts";
import { startRedis, type TestRedis } from "../helpers/redis.ts";

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("rate limits shared through Redis", () => {
  let redis: TestRedis;
  // Two connections, as two nodes have.
  let nodeA: RedisConnection;
  let nodeB: RedisConnection;

  beforeAll(async () => {
    redis = await startRedis();
    nodeA = await connectRedis(redis.url, memoryLog(), "node A");
    nodeB = await connectRedis(redis.url, memoryLog(), "node B");
  });
  afterAll(async () => {
    nodeA?.destroy();
    nodeB?.destroy();
    await redis?.stop();
  });

  it("two nodes share one count: with a limit of 3, the fourth attempt across both is refused", async () => {
    const onA = redisRateLimiter(nodeA, "sign-in", 3, 60_000);
    const onB = redisRateLimiter(nodeB, "sign-in", 3, 60_000);
    const ip = "203.0.113.7";
    expect(await onA.take(ip)).toBe(true);
    expect(await onB.take(ip)).toBe(true);
    expect(await onA.take(ip)).toBe(true);
    expect(await onB.take(ip)).toBe(false);
    expect(await onA.take(ip)).toBe(false);
    // Another address, and another limit for the same address, count apart.
    expect(await onB.take("198.51.100.1")).toBe(true);
    expect(await redisRateLimiter(nodeB, "connections", 3, 60_000).take(ip)).toBe(true);
  });

  it("the window resets: after it ends, attempts are let through again", async () => {
    const onA = redisRateLimiter(nodeA, "reset", 2, 400);
    const onB = redisRateLimiter(nodeB, "reset", 2, 400);
    expect(await onA.take("k")).toBe(true);
    expect(await onB.take("k")).toBe(true);
    expect(await onA.take("k")).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(await onB.take("k")).toBe(true);
    expect(await onA.take("k")).toBe(true);
    expect(await onB.take("k")).toBe(false);
  });

  it("retryAfter gives the seconds left in the shared window, on either node", async () => {
    const onA = redisRateLimiter(nodeA, "retry", 1, 10_000);
    const onB = redisRateLimiter(nodeB, "retry", 1, 10_000);
    expect(await onA.take("k")).toBe(true);
    expect(await onB.take("k")).toBe(false);
    const fromB = await onB.retryAfter("k");
    expect(fromB).toBeGreaterThanOrEqual(9);
    expect(fromB).toBeLessThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 1100));
    const later = await onA.retryAfter("k");
    expect(later).toBeLessThan(fromB);
    expect(later).toBeGreaterThanOrEqual(8);
    // A key with no window open waits a whole window, as the in-process limiter says.
    expect(await onA.retryAfter("never-seen")).toBe(10);
  });

  it("the in-process limiter answers through the same asynchronous interface", async () => {
    const sync = rateLimiter(2, 5_000);
    const limiter = asyncLimiter(sync);
    expect(await limiter.take("k")).toBe(true);
    expect(await limiter.take("k")).toBe(true);
    expect(await limiter.take("k")).toBe(false);
    expect(await limiter.retryAfter("k")).toBe(sync.retryAfter("k"));
    expect(await limiter.retryAfter("k")).toBeGreaterThan(0);
  });

  it("with Redis unreachable, each node counts on its own (and says so) until Redis is back", async () => {
    const log = memoryLog();
    const onA = redisRateLimiter(nodeA, "outage", 2, 60_000, { log });
    expect(await onA.take("k")).toBe(true);
    await redis.kill();
    await until(() => !nodeA.isReady, "node A to see Redis gone");
    // Not refused wholesale, not let through wholesale: this node's own window of 2.
    expect(await onA.take("k")).toBe(true);
    expect(await onA.take("k")).toBe(true);
    expect(await onA.take("k")).toBe(false);
    expect(await onA.retryAfter("k")).toBeGreaterThan(0);
    expect(log.lines.filter((l) => /^warn rate limit "outage": Redis unreachable/.test(l))).toHaveLength(1);

    await redis.restart();
    await until(() => nodeA.isReady && nodeB.isReady, "both nodes to reconnect");
    // The restarted Redis is empty: the shared count starts again, and both nodes see it.
    const onB = redisRateLimiter(nodeB, "outage", 2, 60_000);
    expect(await onA.take("k")).toBe(true);
    expect(await onB.take("k")).toBe(true);
    expect(await onA.take("k")).toBe(false);
    expect(log.lines.some((l) => /^info rate limit "outage": counting in Redis again/.test(l))).toBe(true);
  });
});
