/**
 * `npm run bench -- fanout`: one-character updates reaching N = 100 and N = 1,000 clients, timed from
 * the sender's send to each receiver's receipt (p50, p95, p99), and the updates per second a node
 * takes with durable writes, on: the raw websocket relay of `relay.ts` (the baseline, nothing decoded
 * or stored), the stock y-websocket server (`stockServer.ts`: in memory, nothing stored), one Variorum
 * node on SQLite (the default), one on PostgreSQL, and two on PostgreSQL and Redis with the clients
 * spread over both (the sender on the first). Same run, same machine, same clients (`fanoutPeers.ts`),
 * every server in its own processes (`fanoutServers.ts`), all up at once and measured in turns, one
 * update or one throughput slice each (`fanoutMeasures.ts`): the machine is shared, and whatever else
 * runs meanwhile weighs on all of them alike.
 *
 * Quick runs: FANOUT_SIZES=20,100 (client counts), FANOUT_UPDATES (timed updates per count, 30),
 * FANOUT_SECONDS (throughput, 4), FANOUT_WRITERS (8), FANOUT_SETUPS=relay,stock,sqlite,postgres,cluster.
 */
import { cpus } from "node:os";
import * as Y from "yjs";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import {
  emptyLatency,
  type Latency,
  oneRound,
  sortLatency,
  type Throughput,
  throughputRun,
} from "./fanoutMeasures.ts";
import { type Listener, listen, type Writer, write } from "./fanoutPeers.ts";
import { clusterSetup, relaySetup, type Setup, sqliteSetup, stockSetup } from "./fanoutServers.ts";

const SIZES = (process.env.FANOUT_SIZES ?? "100,1000")
  .split(",")
  .map(Number)
  .sort((a, b) => a - b);
const UPDATES = Number(process.env.FANOUT_UPDATES ?? 30);
const WARM_UP = 3;
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 4);
const WRITERS = Number(process.env.FANOUT_WRITERS ?? 8);
/** Clients connected at once while the audience grows (each is sent the whole document). */
const CONNECT_BATCH = 50;

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

/** One server under measure: its clients and its figures. */
interface Row {
  name: string;
  setup: Setup;
  nodes: number;
  sender: Writer | null;
  listeners: Listener[];
  latency: Map<number, Latency>;
  throughput: Throughput | null;
}

/** Connects listeners until there are `n`, receiver i on node i mod nodes. */
async function grow(row: Row, n: number): Promise<void> {
  while (row.listeners.length < n) {
    const first = row.listeners.length;
    const batch = Math.min(CONNECT_BATCH, n - first);
    row.listeners.push(
      ...(await Promise.all(
        Array.from({ length: batch }, (_, i) => {
          const node = (first + i) % row.nodes;
          return listen(row.setup.urls[node] as string, node, row.setup.holdsDocument);
        }),
      )),
    );
  }
}

/** Each row's turn in rotation, starting one further each time, so that no server always goes first. */
function* turns(rows: Row[], count: number): Generator<{ row: Row; index: number }> {
  for (let index = 0; index < count; index++)
    for (let k = 0; k < rows.length; k++) yield { row: rows[(index + k) % rows.length] as Row, index };
}

async function measureLatency(rows: Row[], start: Uint8Array): Promise<void> {
  for (const row of rows)
    row.sender = await write(row.setup.urls[0] as string, 0, 1, row.setup.holdsDocument ? null : start);
  for (const n of SIZES) {
    for (const row of rows) await grow(row, n);
    await sleep(300);
    const into = new Map(rows.map((r) => [r, emptyLatency(r.nodes)]));
    for (const { row, index } of turns(rows, WARM_UP + UPDATES)) {
      await oneRound(row.sender as Writer, row.listeners, into.get(row) as Latency, index >= WARM_UP);
      await sleep(10);
    }
    for (const row of rows) {
      const l = into.get(row) as Latency;
      sortLatency(l);
      row.latency.set(n, l);
      const dropped = row.listeners.filter((c) => c.closed);
      if (dropped.length)
        throw new Error(`${row.name}: ${dropped.length} clients were closed (${dropped[0]?.closed})`);
    }
    process.stderr.write(`fanout: ${n} clients measured\n`);
  }
  for (const row of rows) for (const c of [...row.listeners, row.sender as Writer]) c.ws.terminate();
}

async function measureThroughput(rows: Row[], start: Uint8Array): Promise<void> {
  const runs = new Map<Row, Awaited<ReturnType<typeof throughputRun>>>();
  for (const row of rows) runs.set(row, await throughputRun(row.setup, WRITERS, start));
  const slices = Math.max(1, Math.round(SECONDS));
  for (const { row } of turns(rows, slices)) await runs.get(row)?.slice((SECONDS / slices) * 1000 + 200, 200);
  for (const row of rows) row.throughput = (await runs.get(row)?.finish()) ?? null;
}

const ms = (v: number) => (Number.isNaN(v) ? "—" : v < 10 ? v.toFixed(2) : v.toFixed(1));
const ratio = (v: number, base: number | undefined) => (base ? `${(v / base).toFixed(2)}×` : "—");

function print(rows: Row[]): void {
  const cpu = cpus();
  console.log(
    `fan-out benchmark: one-character updates from one client to N others (the Manifesto document), ` +
      `${UPDATES} per N after ${WARM_UP} to warm up, the servers taking turns; ${cpu.length} × ${cpu[0]?.model ?? "CPU"}, Node ${process.version}; ` +
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
    const t = row.throughput ?? { perSecond: Number.NaN, missing: 0 };
    const missing = t.missing ? `   (${t.missing} node-writer pairs missing the last update)` : "";
    const perNode = t.perSecond / row.nodes;
    const vsRelay = row === base ? "" : ratio(perNode, base?.throughput?.perSecond);
    console.log(
      `${row.name.padEnd(40)} ${perNode.toFixed(0).padStart(19)} ${t.perSecond.toFixed(0).padStart(10)}   ${vsRelay}${missing}`,
    );
  }
}

export async function benchFanout(): Promise<void> {
  const only = process.env.FANOUT_SETUPS?.split(",");
  const start = Y.encodeStateAsUpdate(manifestoDoc());
  const rows: Row[] = [];
  try {
    for (const s of SETUPS.filter((x) => !only || only.includes(x.key))) {
      const setup = await s.start();
      rows.push({
        name: s.name,
        setup,
        nodes: setup.urls.length,
        sender: null,
        listeners: [],
        latency: new Map(),
        throughput: null,
      });
    }
    await measureLatency(rows, start);
    await sleep(500);
    await measureThroughput(rows, start);
    print(rows);
  } finally {
    for (const r of rows) await r.setup.close();
  }
}
