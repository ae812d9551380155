import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { CloseCode } from "../../server/closeCodes.ts";
import { type Cluster, startCluster } from "../helpers/cluster.ts";
import { type FailoverClient, failoverClient } from "../helpers/failover.ts";
import { randomEdit } from "../helpers/randomEdit.ts";
import { type RawPeer, rawPeer } from "../helpers/rawClient.ts";
import { until } from "../helpers/server.ts";
import { rng } from "../helpers/synthetic.ts";

const state = (d: Y.Doc) => d.getXmlFragment("body").toString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once every client is connected and synced with some server. */
const allSynced = (clients: FailoverClient[], what: string) =>
  until(() => clients.every((c) => c.synced), what, 20_000);

describe("several servers over PostgreSQL and Redis", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3 });
  }, 90_000);
  afterAll(async () => {
    await cluster?.dispose();
  });

  const seeds = [1, 2, 20261203].map((n) => Number(process.env.VARIORUM_SEED ?? n));
  for (const seed of seeds) {
    it(`five clients spread over three servers, editing at random and dropping their connections, end identical to each other, to a fresh load on every server and to PostgreSQL (seed ${seed})`, async () => {
      const random = rng(seed);
      const token = await cluster.token("editor");
      const urls = cluster.wsUrls();
      // Client i starts on server i mod 3; each disconnect moves it on to the next server.
      const clients = [0, 1, 2, 3, 4].map((i) =>
        failoverClient(urls, "manifesto", { start: i % urls.length, params: { token } }),
      );
      try {
        await allSynced(clients, `the first sync of every client (seed ${seed})`);
        const offline = new Set<FailoverClient>();
        for (let round = 0; round < 40; round++) {
          for (const c of clients) {
            if (random() < 0.7) randomEdit(c.doc, random);
            // Now and then a client drops its connection, edits offline, and comes back on the next server.
            if (offline.has(c) && random() < 0.3) {
              offline.delete(c);
              c.provider.connect();
            } else if (!offline.has(c) && random() < 0.05) {
              offline.add(c);
              c.provider.disconnect();
            }
          }
          if (random() < 0.3) await sleep(Math.floor(random() * 15));
        }
        for (const c of offline) c.provider.connect();
        await allSynced(clients, `every client back online (seed ${seed})`);
        const first = clients[0] as FailoverClient;
        await until(
          () => clients.every((c) => state(c.doc) === state(first.doc)),
          `convergence of five clients over three servers (seed ${seed}; replay with VARIORUM_SEED=${seed})`,
          20_000,
        );
        expect(
          new Set(clients.map((c) => c.url)).size,
          "clients were spread over several servers",
        ).toBeGreaterThan(1);
        expect(
          clients.some((c) => c.closes.length > 0),
          "some client dropped its connection and came back on another server",
        ).toBe(true);
        // Every server serves the same, and PostgreSQL holds the same.
        for (const node of cluster.nodes) {
          const late = failoverClient([node.wsUrl], "manifesto", { params: { token } });
          try {
            await allSynced([late], `a fresh client on ${node.id}`);
            // The node's copy may still be a relayed message behind the last edit: it must catch up.
            await until(() => state(late.doc) === state(first.doc), `${node.id} (seed ${seed})`, 10_000);
          } finally {
            late.destroy();
          }
        }
        expect(state(await cluster.stored("manifesto")), `PostgreSQL (seed ${seed})`).toBe(state(first.doc));
      } finally {
        for (const c of clients) c.destroy();
      }
    });
  }

  /** A member's raw socket on `node`, with what the server sent it. */
  const memberOn = (node: number, token: string): Promise<RawPeer> =>
    rawPeer(`${cluster.nodes[node]?.wsUrl}/manifesto?token=${token}`);

  /** How the server closed a peer's socket, or code -1 if it is still open after `ms`. */
  const closedWithin = (p: RawPeer, ms: number) =>
    Promise.race([p.closed, sleep(ms).then(() => ({ code: -1, reason: "still open", at: Date.now() }))]);

  it("removing a member through one server closes their socket on another server with 4403", async () => {
    const edna = await memberOn(1, await cluster.userToken("Edna", "editor"));
    try {
      const res = await fetch(`${cluster.nodes[0]?.url}/api/editions/manifesto/members/Edna`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${await cluster.token("owner")}` },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const removedAt = Date.now();
      // Edna sends nothing: server 2 must learn of the removal from the others, not from her next message.
      const closed = await closedWithin(edna, 5000);
      expect(closed.code, closed.reason).toBe(CloseCode.forbidden);
      expect(closed.reason).toMatch(/Edna is no longer a member of "manifesto"/);
      expect(closed.at - removedAt).toBeLessThan(5000);
    } finally {
      edna.ws.close();
    }
  });

  it("counts sign-in attempts from one address on every server together: spreading them over the servers gains nothing", async () => {
    const attempt = (i: number) =>
      fetch(`${cluster.nodes[i % 3]?.url}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=nobody&password=not-the-password",
        redirect: "manual",
      });
    // The limit is ten a minute per address (VARIORUM_SIGNINS_PER_MINUTE's default), counted in Redis.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt(i)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const refused = await attempt(12);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("revoking an API token through one server closes the socket it opened on another server with 4403", async () => {
    const first = await cluster.userToken("Cleo", "editor");
    const second = await cluster.userToken("Cleo", "editor");
    const record = await cluster.store.accounts.findToken(first, ["api"]);
    if (!record) throw new Error("Cleo's first token is not in the store");
    const cleo = await memberOn(2, first);
    try {
      // Cleo revokes her first token through server 1, signed in with her second.
      const res = await fetch(`${cluster.nodes[0]?.url}/api/account/tokens/${record.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${second}` },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const closed = await closedWithin(cleo, 5000);
      expect(closed.code, closed.reason).toBe(CloseCode.forbidden);
      expect(closed.reason).toMatch(/the API token of Cleo was revoked/);
    } finally {
      cleo.ws.close();
    }
  });
});
