import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../helpers/cluster.ts";
import { type FailoverClient, failoverClient } from "../helpers/failover.ts";
import { Ledger } from "../helpers/markers.ts";
import { until } from "../helpers/server.ts";
import { rng } from "../helpers/synthetic.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CYCLES = 20;

describe("a server killed with kill -9 while clients type on every server", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3 });
  }, 90_000);
  afterAll(async () => {
    await cluster?.dispose();
  });

  const seed = Number(process.env.VARIORUM_SEED ?? 20261203);
  it(`${CYCLES} cycles of kill -9 of a random server: clients fail over, and no acknowledged update is lost (seed ${seed})`, async () => {
    const random = rng(seed);
    const token = await cluster.token("editor");
    const urls = cluster.wsUrls();
    const ledger = new Ledger();
    const clients = new Map<number, FailoverClient>();
    let nextClient = 0;
    const join = (start: number) => {
      const id = ++nextClient;
      const c = failoverClient(urls, "manifesto", { start, params: { token }, maxBackoffMs: 500 });
      ledger.watch(id, c.doc, c.provider);
      clients.set(id, c);
      return c;
    };
    for (let i = 0; i < 5; i++) join(i % urls.length);
    // Failing over moves clients on to the next server, so they would gather on one; a balancer spreads
    // them again: a server left without clients takes one from the busiest.
    const spread = () => {
      for (const url of urls) {
        const on = (u: string) => [...clients.values()].filter((c) => c.url === u);
        if (on(url).length > 0) continue;
        const busiest = [...urls].sort((x, y) => on(y).length - on(x).length)[0] as string;
        on(busiest)[0]?.moveTo(url);
      }
    };
    const losses: string[] = [];
    let failovers = 0;
    let typing = true;
    // Every client types a marker now and then, connected or not (typed offline, it is sent on reconnect).
    const typist = (async () => {
      while (typing) {
        for (const [id, c] of clients) if (random() < 0.5) ledger.type(id, c.doc, Math.floor(random() * 6));
        await sleep(40);
      }
    })();
    try {
      await until(() => [...clients.values()].every((c) => c.synced), "every client's first sync", 20_000);
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        await sleep(300 + Math.floor(random() * 400));
        const victim = cluster.nodes[Math.floor(random() * cluster.nodes.length)];
        if (!victim) throw new Error("no server to kill");
        const acknowledgedBefore = [...ledger.acknowledged.keys()];
        const onVictim = [...clients].filter(([, c]) => c.url === victim.wsUrl);
        await victim.kill9();
        // Every other cycle one client on the killed server goes with it (its browser closed too): what of
        // it was acknowledged must survive through the servers alone. The others fail over.
        const gone = cycle % 2 === 0 ? (onVictim.find(([, c]) => c.synced) ?? onVictim[0]) : undefined;
        if (gone) {
          gone[1].destroy();
          clients.delete(gone[0]);
        }
        failovers += onVictim.length - (gone ? 1 : 0);
        // Acknowledged before the kill means stored before the kill: PostgreSQL holds it now, whoever resends.
        const stored = await cluster.stored("manifesto");
        for (const m of ledger.missingIn(stored, acknowledgedBefore))
          losses.push(`${m} (cycle ${cycle}, ${victim.id} killed)`);
        await sleep(300 + Math.floor(random() * 400));
        await victim.restart();
        if (gone) join(urls.indexOf(victim.wsUrl));
        spread();
      }
      typing = false;
      await typist;
      const live = [...clients.values()];
      await until(
        () => live.every((c) => c.synced),
        "every client synced after the last cycle",
        20_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}: ${live.map((c) => c.describe()).join(" | ")}`);
      });
      const acknowledged = [...ledger.acknowledged.keys()];
      await until(
        () => live.every((c) => ledger.missingIn(c.doc, acknowledged).length === 0),
        "every acknowledged marker in every client",
        20_000,
      );
      expect(losses, "acknowledged before a kill, missing from PostgreSQL right after it").toEqual([]);
      const stored = await cluster.stored("manifesto");
      expect(ledger.missingIn(stored), "acknowledged markers missing from PostgreSQL").toEqual([]);
      for (const node of cluster.nodes) {
        const fresh = failoverClient([node.wsUrl], "manifesto", { params: { token } });
        try {
          await until(() => fresh.synced, `a fresh client on ${node.id}`, 20_000);
          expect(
            ledger.missingIn(fresh.doc),
            `acknowledged markers a fresh load on ${node.id} lacks`,
          ).toEqual([]);
        } finally {
          fresh.destroy();
        }
      }
      // The clients still there hold everything they typed, and so does the store once they are synced.
      const typedByLive = [...ledger.typed].filter(([, id]) => clients.has(id)).map(([m]) => m);
      await until(
        async () => ledger.missingIn(await cluster.stored("manifesto"), typedByLive).length === 0,
        "what the surviving clients typed, in PostgreSQL",
        20_000,
      );
      // The run did what it claims: many acknowledged markers, and clients that really failed over.
      expect(ledger.acknowledged.size).toBeGreaterThan(CYCLES * 10);
      expect(failovers).toBeGreaterThan(CYCLES / 4);
      console.log(
        `seed ${seed}: ${ledger.typed.size} markers typed, ${ledger.acknowledged.size} acknowledged, ` +
          `${failovers} client failovers over ${CYCLES} kills`,
      );
    } finally {
      typing = false;
      await typist;
      for (const c of clients.values()) c.destroy();
    }
  }, 170_000);
});
