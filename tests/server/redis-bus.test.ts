import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusMessage, DocumentFeed } from "../../server/cluster/bus.ts";
import { openRedisBus, type RedisBus, type RedisBusOptions } from "../../server/cluster/redisBus.ts";
import { memoryLog } from "../../server/log.ts";
import { freePort } from "../helpers/postgres.ts";
import { startRedis, type TestRedis } from "../helpers/redis.ts";

/** A feed that keeps what it was told. */
function recorder() {
  const r = {
    messages: [] as BusMessage[],
    gaps: 0,
    feed: {
      message: (m: BusMessage) => {
        r.messages.push(m);
      },
      gap: () => {
        r.gaps++;
      },
    } satisfies DocumentFeed,
    seqs: () => r.messages.map((m) => (m.kind === "update" ? m.seq : -1)),
  };
  return r;
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const update = (seq: number, bytes: number[] = [seq & 0xff]): BusMessage => ({
  kind: "update",
  seq,
  data: Uint8Array.from(bytes),
});

describe("Redis bus between two nodes", () => {
  let redis: TestRedis;
  const buses: RedisBus[] = [];
  const open = async (nodeId: string, extra: Partial<RedisBusOptions> = {}, url = redis.url) => {
    const log = memoryLog();
    const bus = await openRedisBus(url, { nodeId, log, ...extra });
    buses.push(bus);
    return { bus, log };
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await redis?.stop();
  });

  it("a message one node publishes reaches the other node's feed and not its own", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    const onA = recorder();
    const onB = recorder();
    await a.subscribe("d1", onA.feed).ready;
    await b.subscribe("d1", onB.feed).ready;
    await a.publish("d1", update(1, [7, 8, 9]));
    await until(() => onB.messages.length === 1, "B to hear A's update");
    expect(onB.messages[0]).toEqual({ kind: "update", seq: 1, data: Uint8Array.from([7, 8, 9]) });
    // B's own publish reaches A; A never hears its own.
    await b.publish("d1", update(2));
    await until(() => onA.messages.length === 1, "A to hear B's update");
    expect(onA.seqs()).toEqual([2]);
    expect(onB.seqs()).toEqual([1]);
    expect(onA.gaps + onB.gaps).toBe(0);
  });

  it("binary data survives byte for byte: every byte value, and a 1 MB update", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    const onB = recorder();
    await b.subscribe("bin", onB.feed).ready;
    const every = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    const edges = Uint8Array.from([0x00, 0xff, 0x00, 0x00, 0xff, 0x0d, 0x0a, 0x80]);
    const big = new Uint8Array(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    // A view into a larger buffer: only its own bytes may go out.
    const inside = new Uint8Array(Uint8Array.from([1, 2, 3, 0xff, 0x00, 4, 5]).buffer, 2, 3);
    await a.publish("bin", { kind: "update", seq: 1, data: every });
    await a.publish("bin", { kind: "update", seq: 2, data: edges });
    await a.publish("bin", { kind: "update", seq: 3, data: big });
    await a.publish("bin", { kind: "awareness", data: inside });
    await until(() => onB.messages.length === 4, "B to hear four messages");
    const got = onB.messages.map((m) => Buffer.from(m.data));
    expect(got[0]?.equals(Buffer.from(every))).toBe(true);
    expect(got[1]?.equals(Buffer.from(edges))).toBe(true);
    expect(got[2]?.length).toBe(big.length);
    expect(got[2]?.equals(Buffer.from(big))).toBe(true);
    expect([...(got[3] ?? [])]).toEqual([3, 0xff, 0x00]);
  });

  it("1000 messages arrive in the order they were published", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    const onB = recorder();
    await b.subscribe("order", onB.feed).ready;
    // Published without waiting for each other: the order is the one Redis appended them in.
    await Promise.all(Array.from({ length: 1000 }, (_, i) => a.publish("order", update(i + 1))));
    await until(() => onB.messages.length === 1000, "B to hear 1000 updates");
    expect(onB.seqs()).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(onB.gaps).toBe(0);
  });

  it("a subscription does not deliver what was published before it", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    await a.publish("late", update(1));
    await a.publish("late", update(2));
    const onB = recorder();
    await b.subscribe("late", onB.feed).ready;
    await a.publish("late", update(3));
    await until(() => onB.messages.length >= 1, "B to hear the update after it subscribed");
    await new Promise((r) => setTimeout(r, 300)); // room for any older message to show up wrongly
    expect(onB.seqs()).toEqual([3]);
  });

  it("an awareness message goes across, and documents stay apart", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    const onOne = recorder();
    const onOther = recorder();
    await b.subscribe("aw-1", onOne.feed).ready;
    await b.subscribe("aw-2", onOther.feed).ready;
    await a.publish("aw-1", { kind: "awareness", data: Uint8Array.from([1, 0, 255]) });
    await until(() => onOne.messages.length === 1, "B to hear the awareness message");
    expect(onOne.messages[0]).toEqual({ kind: "awareness", data: Uint8Array.from([1, 0, 255]) });
    expect(onOther.messages).toEqual([]);
  });

  it("after unsubscribing, a feed hears nothing more", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    const onB = recorder();
    const stop = b.subscribe("gone", onB.feed);
    await stop.ready;
    await a.publish("gone", update(1));
    await until(() => onB.messages.length === 1, "B to hear the first update");
    stop();
    await a.publish("gone", update(2));
    const marker = recorder();
    await b.subscribe("gone-marker", marker.feed).ready;
    await a.publish("gone-marker", update(1));
    await until(() => marker.messages.length === 1, "B's reader to have gone past update 2");
    expect(onB.seqs()).toEqual([1]);
  });

  it("an access change on one node runs the other node's handlers, not its own", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    let onA = 0;
    let onB = 0;
    a.onAccessChanged(() => onA++);
    b.onAccessChanged(() => onB++);
    await a.publishAccessChanged();
    await until(() => onB === 1, "B to hear the access change");
    await b.publishAccessChanged();
    await until(() => onA === 1, "A to hear the access change");
    await new Promise((r) => setTimeout(r, 200));
    expect([onA, onB]).toEqual([1, 1]);
  });

  it("a node stalled past the trimmed length of the stream hears gap() instead of losing messages silently", async () => {
    const { bus: a } = await open("A", { maxLen: 10 });
    const { bus: b, log } = await open("B", { maxLen: 10 });
    // One stream B starts on empty, one where B's place is an entry that gets trimmed away.
    await a.publish("trim-old", update(0));
    const fresh = recorder();
    const old = recorder();
    await b.subscribe("trim-new", fresh.feed).ready;
    await b.subscribe("trim-old", old.feed).ready;
    const resume = await b.pauseReading();
    for (let seq = 1; seq <= 400; seq++) {
      await a.publish("trim-new", update(seq));
      await a.publish("trim-old", update(seq));
    }
    resume();
    for (const [name, onB] of Object.entries({ fresh, old })) {
      await until(() => onB.seqs().includes(400), `B to read up to update 400 of ${name}`);
      expect(onB.gaps, name).toBeGreaterThanOrEqual(1);
      // The gap was real: the earliest updates were trimmed away and never delivered.
      expect(onB.messages.length, name).toBeLessThan(400);
      expect(onB.seqs(), name).not.toContain(1);
      const seqs = onB.seqs();
      expect(seqs, name).toEqual([...seqs].sort((x, y) => x - y));
    }
    expect(log.lines.some((l) => /trimmed past/.test(l))).toBe(true);
  });

  it("a node stalled for fewer messages than the stream keeps reads them all, without a gap", async () => {
    const { bus: a } = await open("A", { maxLen: 1000 });
    const { bus: b } = await open("B", { maxLen: 1000 });
    const onB = recorder();
    await b.subscribe("stall", onB.feed).ready;
    const resume = await b.pauseReading();
    // More than one full batch (500), so the trim check runs and must find nothing trimmed.
    for (let seq = 1; seq <= 700; seq++) await a.publish("stall", update(seq));
    resume();
    await until(() => onB.messages.length === 700, "B to read all 700 updates");
    expect(onB.seqs()).toEqual(Array.from({ length: 700 }, (_, i) => i + 1));
    expect(onB.gaps).toBe(0);
  });

  it("opening a bus where no Redis answers fails with a message naming the address", async () => {
    const port = await freePort();
    await expect(openRedisBus(`redis://127.0.0.1:${port}`, { log: memoryLog() })).rejects.toThrow(
      new RegExp(`cannot connect to Redis at redis://127.0.0.1:${port}`),
    );
  });
});

describe("Redis bus when Redis goes away", () => {
  let redis: TestRedis;
  const buses: RedisBus[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await redis?.stop();
  });
  const open = async (nodeId: string) => {
    const log = memoryLog();
    const bus = await openRedisBus(redis.url, { nodeId, log });
    buses.push(bus);
    return { bus, log };
  };

  it("publishing while Redis is down rejects with a clear message, and the node carries on once it is back", async () => {
    const { bus: a, log } = await open("A");
    const { bus: c } = await open("C");
    await redis.kill();
    await until(() => !a.connected, "A to see Redis gone");
    await expect(a.publish("down", update(1))).rejects.toThrow(
      new RegExp(
        `publishing update 1 of document "down" to Redis at redis://127.0.0.1:${redis.port}/? failed`,
      ),
    );
    await expect(a.publishAccessChanged()).rejects.toThrow(
      /publishing an access change to Redis at .* failed/,
    );
    expect(log.lines.some((l) => /^warn Redis (publisher|reader): lost Redis at/.test(l))).toBe(true);
    // A node shutting down while Redis is away does not hang on it.
    await c.close();
    await redis.restart();
    await until(() => a.connected, "A to reconnect");
    await a.publish("down", update(2));
  });

  it("after Redis restarts, both nodes reconnect, their feeds hear gap(), and messages flow again", async () => {
    const { bus: a } = await open("A");
    const { bus: b } = await open("B");
    const onA = recorder();
    const onB = recorder();
    let accessOnB = 0;
    b.onAccessChanged(() => accessOnB++);
    await a.subscribe("restart", onA.feed).ready;
    await b.subscribe("restart", onB.feed).ready;
    await a.publish("restart", update(1));
    await until(() => onB.messages.length === 1, "B to hear update 1");

    await redis.restart();
    await until(() => a.connected && b.connected, "both nodes to reconnect");
    await until(() => onA.gaps >= 1 && onB.gaps >= 1, "both feeds to hear gap()");
    // A change of access may have been missed while Redis was away: B re-checks.
    expect(accessOnB).toBeGreaterThanOrEqual(1);

    await a.publish("restart", update(2));
    await b.publish("restart", update(3));
    await until(() => onB.seqs().includes(2) && onA.seqs().includes(3), "updates to flow again");
    expect(onB.seqs()).toEqual([1, 2]);
    expect(onA.seqs()).toEqual([3]);
  });
});
