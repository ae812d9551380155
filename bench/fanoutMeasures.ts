/**
 * The two measures of the fan-out benchmark, on any server's clients: one update's way from its
 * sender to every listener, and the updates per second writers get acknowledged, run in slices so that
 * the servers can take turns (the machine is shared: whatever else runs then weighs on all of them).
 */
import { clocksOf, type Listener, listen, type Writer, write } from "./fanoutPeers.ts";
import type { Setup } from "./fanoutServers.ts";

const TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Latency {
  /** Every receipt's delay in ms (sorted by `sortLatency`). */
  all: number[];
  /** The same per node the receiver was on. */
  byNode: number[][];
  /** Receipts still missing after the timeout, and receipts of an update other than the one sent. */
  lost: number;
  wrong: number;
}

export function emptyLatency(nodes: number): Latency {
  return { all: [], byNode: Array.from({ length: nodes }, () => []), lost: 0, wrong: 0 };
}

export function sortLatency(l: Latency): void {
  l.all.sort((a, b) => a - b);
  for (const n of l.byNode) n.sort((a, b) => a - b);
}

/**
 * One update from `sender`, resolved once every listener has it (or after the timeout). The time of
 * each receipt is taken on arrival; the message is decoded and checked only after the round. With
 * `keep` false (warming up) only the checks count.
 */
export async function oneRound(sender: Writer, listeners: Listener[], into: Latency, keep: boolean) {
  const got = new Array<number>(listeners.length).fill(-1);
  const messages: Buffer[] = [];
  let pending = listeners.length;
  let allIn: () => void = () => {};
  const arrived = new Promise<void>((r) => {
    allIn = r;
  });
  listeners.forEach((l, i) => {
    l.onUpdate = (at, message) => {
      if (got[i] !== -1) return;
      got[i] = at;
      messages[i] = message;
      if (--pending === 0) allIn();
    };
  });
  const sent = sender.send();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([arrived, new Promise((r) => (timer = setTimeout(r, TIMEOUT_MS)))]);
  clearTimeout(timer);
  listeners.forEach((l, i) => {
    l.onUpdate = null;
    const at = got[i] as number;
    const message = messages[i];
    if (at === -1 || !message) into.lost++;
    else if (clocksOf(message).get(sent.client) !== sent.clock) into.wrong++;
    else if (keep) {
      into.all.push(at - sent.at);
      into.byNode[l.node]?.push(at - sent.at);
    }
  });
}

export interface Throughput {
  /** Acknowledged updates per second, over all nodes. */
  perSecond: number;
  /** (node, writer) pairs where the node never saw the writer's last update. */
  missing: number;
}

export interface ThroughputRun {
  /** Writers send as fast as they are acknowledged for `ms`; the first `settleMs` are not counted. */
  slice(ms: number, settleMs: number): Promise<void>;
  /** The rate over all slices, once every node's observer has (or has not) every writer's last update. */
  finish(): Promise<Throughput>;
}

/**
 * `writers` writers spread over the nodes, and an observer on each node. A writer sends its next update
 * as soon as the observer on its own node has received the last: on Variorum, received means stored
 * first, so this is the rate of durable writes one document takes.
 */
export async function throughputRun(
  setup: Setup,
  writers: number,
  start: Uint8Array,
): Promise<ThroughputRun> {
  const nodes = setup.urls.length;
  const observers = await Promise.all(setup.urls.map((u, k) => listen(u, k, setup.holdsDocument)));
  const seen = observers.map(() => new Map<number, number>());
  const waiting = new Map<number, { node: number; clock: number; done: () => void }>();
  observers.forEach((o, k) => {
    o.onUpdate = (_at, message) => {
      for (const [client, clock] of clocksOf(message)) {
        if (clock > (seen[k]?.get(client) ?? 0)) seen[k]?.set(client, clock);
        const w = waiting.get(client);
        if (w && w.node === k && clock >= w.clock) {
          waiting.delete(client);
          w.done();
        }
      }
    };
  });
  const ws = await Promise.all(
    Array.from({ length: writers }, (_, j) =>
      write(setup.urls[j % nodes] as string, j % nodes, j + 2, setup.holdsDocument ? null : start),
    ),
  );
  const last = new Map<number, number>();
  let counted = 0;
  let countedMs = 0;
  const acknowledged = (w: Writer, clock: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`an update of writer ${w.client} was not received in ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      waiting.set(w.client, {
        node: w.node,
        clock,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  return {
    slice: async (ms, settleMs) => {
      const from = performance.now() + settleMs;
      const end = from + ms - settleMs;
      await Promise.all(
        ws.map(async (w) => {
          while (performance.now() < end) {
            const sent = w.send();
            last.set(w.client, sent.clock);
            await acknowledged(w, sent.clock);
            if (performance.now() >= from) counted++;
          }
        }),
      );
      countedMs += performance.now() - from;
    },
    finish: async () => {
      const reached = () =>
        seen.reduce((n, s) => n + [...last].filter(([c, clock]) => (s.get(c) ?? 0) >= clock).length, 0);
      for (let i = 0; i < 100 && reached() < nodes * last.size; i++) await sleep(100);
      const missing = nodes * last.size - reached();
      for (const c of [...observers, ...ws]) c.ws.terminate();
      return { perSecond: counted / (countedMs / 1000), missing };
    },
  };
}
