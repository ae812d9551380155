/**
 * `npm run bench -- fanout`: one-character updates reaching N = 100 and N = 1,000 clients, timed from
 * the sender's send to each receiver's receipt (p50, p95, p99), and the updates per second a node
 * takes with durable writes, on: the raw websocket relay of `relay.ts` (the baseline, nothing decoded
 * or stored), the stock y-websocket server (`stockServer.ts`: in memory, nothing stored), one Variorum
 * node on SQLite (the default), one on PostgreSQL, and two on PostgreSQL and Redis with the clients
 * spread over both (the sender on the first). Same run, same machine, same clients (`fanoutPeers.ts`),
 * every server in its own processes (`fanoutServers.ts`).
 *
 * Quick runs: FANOUT_SIZES=20,100 (client counts), FANOUT_UPDATES (timed updates per count, 30),
 * FANOUT_SECONDS (throughput, 4), FANOUT_WRITERS (8), FANOUT_PASSES (2: each server is measured that many
 * times, in turn, and its better figures kept), FANOUT_SETUPS=relay,stock,sqlite,postgres,cluster.
 */
import { cpus } from "node:os";
import * as Y from "yjs";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { clocksOf, type Listener, listen, type Writer, write } from "./fanoutPeers.ts";
import { clusterSetup, relaySetup, type Setup, sqliteSetup, stockSetup } from "./fanoutServers.ts";

const SIZES = (process.env.FANOUT_SIZES ?? "100,1000").split(",").map(Number);
const UPDATES = Number(process.env.FANOUT_UPDATES ?? 30);
const WARM_UP = 3;
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 4);
const WRITERS = Number(process.env.FANOUT_WRITERS ?? 8);
/** Clients connected at once while the audience grows (each is sent the whole document). */
const CONNECT_BATCH = 50;
const ROUND_TIMEOUT_MS = 10_000;

const SETUPS: { key: string; name: string; start: () => Promise<Setup> }[] = [
  { key: "relay", name: "raw ws relay (baseline)", start: relaySetup },
  { key: "stock", name: "@y/websocket-server 0.1.1", start: stockSetup },
  { key: "sqlite", name: "Variorum, 1 node, SQLite", start: sqliteSetup },
  { key: "postgres", name: "Variorum, 1 node, PostgreSQL", start: () => clusterSetup(1, false) },
  { key: "cluster", name: "Variorum, 2 nodes, PostgreSQL + Redis", start: () => clusterSetup(2, true) },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Latency {
  /** Every receipt's delay in ms, sorted. */
  all: number[];
  /** The same per node the receiver was on. */
  byNode: number[][];
  /** Receipts still missing after ROUND_TIMEOUT_MS, and receipts of an update other than the one sent. */
  lost: number;
  wrong: number;
}

/** Sends UPDATES updates (after WARM_UP), each once every listener has the one before. */
async function timeRounds(sender: Writer, listeners: Listener[], nodes: number): Promise<Latency> {
  const result: Latency = { all: [], byNode: Array.from({ length: nodes }, () => []), lost: 0, wrong: 0 };
  for (let round = 0; round < WARM_UP + UPDATES; round++) {
    const got = new Array<number>(listeners.length).fill(-1);
    const messages: Buffer[] = [];
    let pending = listeners.length;
    let allIn: () => void = () => {};
    const arrived = new Promise<void>((r) => {
      allIn = r;
    });
    listeners.forEach((l, i) => {
      // Only the time is taken on receipt; the message is decoded and checked after the round.
      l.onUpdate = (at, message) => {
        if (got[i] !== -1) return;
        got[i] = at;
        messages[i] = message;
        if (--pending === 0) allIn();
      };
    });
    const sent = sender.send();
    await Promise.race([arrived, sleep(ROUND_TIMEOUT_MS)]);
    listeners.forEach((l, i) => {
      l.onUpdate = null;
      const at = got[i] as number;
      const message = messages[i];
      if (at === -1 || !message) result.lost++;
      else if (clocksOf(message).get(sent.client) !== sent.clock) result.wrong++;
      else if (round >= WARM_UP) {
        result.all.push(at - sent.at);
        result.byNode[l.node]?.push(at - sent.at);
      }
    });
    await sleep(20);
  }
  result.all.sort((a, b) => a - b);
  for (const n of result.byNode) n.sort((a, b) => a - b);
  return result;
}

interface Throughput {
  /** Acknowledged updates per second, over all nodes. */
  perSecond: number;
  /** (node, writer) pairs where the node never saw the writer's last update. */
  missing: number;
}

/**
 * WRITERS writers spread over the nodes, each sending its next update as soon as an observer on its own
 * node has received the last (on Variorum, received means stored first); counted for SECONDS after a
 * half-second start. Then every node's observer must have every writer's last update.
 */
async function timeThroughput(setup: Setup, start: Uint8Array): Promise<Throughput> {
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
  const writers = await Promise.all(
    Array.from({ length: WRITERS }, (_, j) =>
      write(setup.urls[j % nodes] as string, j % nodes, j + 2, setup.holdsDocument ? null : start),
    ),
  );
  const countFrom = performance.now() + 500;
  const end = countFrom + SECONDS * 1000;
  let counted = 0;
  const last = new Map<number, number>();
  await Promise.all(
    writers.map(async (w) => {
      while (performance.now() < end) {
        const sent = w.send();
        last.set(w.client, sent.clock);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(new Error(`an update of writer ${w.client} was not received in ${ROUND_TIMEOUT_MS} ms`)),
            ROUND_TIMEOUT_MS,
          );
          waiting.set(w.client, {
            node: w.node,
            clock: sent.clock,
            done: () => {
              clearTimeout(timer);
              resolve();
            },
          });
        });
        if (performance.now() >= countFrom) counted++;
      }
    }),
  );
  const perSecond = counted / ((performance.now() - countFrom) / 1000);
  const reached = () =>
    seen.reduce((n, s) => n + [...last].filter(([client, clock]) => (s.get(client) ?? 0) >= clock).length, 0);
  for (let i = 0; i < 100 && reached() < nodes * last.size; i++) await sleep(100);
  const missing = nodes * last.size - reached();
  for (const c of [...observers, ...writers]) c.ws.terminate();
  return { perSecond, missing };
}

interface Row {
  name: string;
  latency: Map<number, Latency>;
  throughput: Throughput;
  nodes: number;
}

async function measure(name: string, setup: Setup, start: Uint8Array): Promise<Row> {
  const nodes = setup.urls.length;
  const sender = await write(setup.urls[0] as string, 0, 1, setup.holdsDocument ? null : start);
  const listeners: Listener[] = [];
  const latency = new Map<number, Latency>();
  for (const n of [...SIZES].sort((a, b) => a - b)) {
    while (listeners.length < n) {
      const batch = Math.min(CONNECT_BATCH, n - listeners.length);
      const first = listeners.length;
      listeners.push(
        ...(await Promise.all(
          Array.from({ length: batch }, (_, i) => {
            // Spread evenly: receiver i on node i mod nodes.
            const node = (first + i) % nodes;
            return listen(setup.urls[node] as string, node, setup.holdsDocument);
          }),
        )),
      );
    }
    await sleep(200);
    latency.set(n, await timeRounds(sender, listeners, nodes));
    const dropped = listeners.filter((l) => l.closed);
    if (dropped.length)
      throw new Error(`${name}: ${dropped.length} clients were closed (${dropped[0]?.closed})`);
    process.stderr.write(`fanout: ${name}, ${n} clients measured\n`);
  }
  for (const l of listeners) l.ws.terminate();
  sender.ws.terminate();
  await sleep(300);
  const throughput = await timeThroughput(setup, start);
  return { name, latency, throughput, nodes };
}

const ms = (v: number) => (Number.isNaN(v) ? "—" : v < 10 ? v.toFixed(2) : v.toFixed(1));
const ratio = (v: number, base: number | undefined) => (base ? `${(v / base).toFixed(2)}×` : "—");

function print(rows: Row[], passes: number): void {
  const cpu = cpus();
  console.log(
    `fan-out benchmark: one-character updates from one client to N others (the Manifesto document), ` +
      `${UPDATES} per N after ${WARM_UP} to warm up, the better of ${passes} runs; ${cpu.length} × ${cpu[0]?.model ?? "CPU"}, Node ${process.version}; ` +
      "servers, PostgreSQL, Redis and the clients share the machine",
  );
  const base = rows.find((r) => r.name.startsWith("raw"));
  console.log(
    `${"server".padEnd(40)} ${"N".padStart(5)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)}   ratio to the relay p50 / p95 / p99`,
  );
  for (const n of SIZES) {
    const b = base?.latency.get(n)?.all;
    for (const row of rows) {
      const l = row.latency.get(n);
      if (!l) continue;
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(l.all, p)) as [number, number, number];
      const ratios =
        row === base || !b
          ? ""
          : `   ${ratio(p50, percentile(b, 50))} / ${ratio(p95, percentile(b, 95))} / ${ratio(p99, percentile(b, 99))}`;
      const faults = l.lost || l.wrong ? `   (${l.lost} lost, ${l.wrong} wrong)` : "";
      console.log(
        `${row.name.padEnd(40)} ${String(n).padStart(5)} ${ms(p50).padStart(8)} ${ms(p95).padStart(8)} ${ms(p99).padStart(8)}${ratios}${faults}`,
      );
      if (row.nodes > 1) {
        const split = l.byNode.map((s, k) => `node ${k + 1} p50 ${ms(percentile(s, 50))} ms`).join(", ");
        console.log(`${"".padEnd(40)}       receivers on ${split} (the sender is on node 1)`);
      }
    }
  }
  console.log(
    `\nthroughput: ${WRITERS} writers spread over the nodes, each sending its next update when an observer on its ` +
      `node has received the last (stored first, on Variorum); ${SECONDS} s`,
  );
  console.log(
    `${"server".padEnd(40)} ${"updates/s per node".padStart(19)} ${"all nodes".padStart(10)}   ratio to the relay`,
  );
  for (const row of rows) {
    const t = row.throughput;
    const missing = t.missing ? `   (${t.missing} node-writer pairs missing the last update)` : "";
    const perNode = t.perSecond / row.nodes;
    const vsRelay = row === base ? "" : ratio(perNode, base?.throughput.perSecond);
    console.log(
      `${row.name.padEnd(40)} ${perNode.toFixed(0).padStart(19)} ${t.perSecond.toFixed(0).padStart(10)}   ${vsRelay}${missing}`,
    );
  }
}

/** Of two runs of one server, the better figure of each (the machine is shared; the slower run had company). */
function better(a: Row, b: Row): Row {
  const latency = new Map<number, Latency>();
  for (const [n, l] of a.latency) {
    const other = b.latency.get(n);
    latency.set(n, other && percentile(other.all, 50) < percentile(l.all, 50) ? other : l);
  }
  const throughput = b.throughput.perSecond > a.throughput.perSecond ? b.throughput : a.throughput;
  return { ...a, latency, throughput };
}

export async function benchFanout(): Promise<void> {
  const only = process.env.FANOUT_SETUPS?.split(",");
  const passes = Number(process.env.FANOUT_PASSES ?? 2);
  const start = Y.encodeStateAsUpdate(manifestoDoc());
  const chosen = SETUPS.filter((s) => !only || only.includes(s.key));
  // All servers stay up for the whole run and are measured in turn, forwards then backwards, so that
  // none is always the first (a cold client process) or the last.
  const running: { name: string; setup: Setup }[] = [];
  try {
    for (const s of chosen) running.push({ name: s.name, setup: await s.start() });
    const runs = new Map<string, Row>();
    for (let pass = 0; pass < passes; pass++) {
      for (const r of pass % 2 === 0 ? running : [...running].reverse()) {
        const row = await measure(r.name, r.setup, start);
        const before = runs.get(r.name);
        runs.set(r.name, before ? better(before, row) : row);
      }
    }
    print(
      running.map((r) => runs.get(r.name) as Row),
      passes,
    );
  } finally {
    for (const r of running) await r.setup.close();
  }
}
