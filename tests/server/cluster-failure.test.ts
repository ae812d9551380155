import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type * as Y from "yjs";
import { CloseCode } from "../../server/closeCodes.ts";
import { type Cluster, startCluster } from "../helpers/cluster.ts";
import { type FailoverClient, failoverClient } from "../helpers/failover.ts";
import { markersIn, typeMarker } from "../helpers/markers.ts";
import { until } from "../helpers/server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const has = (doc: Y.Doc, marker: string) => markersIn(doc).has(marker);

describe("several servers when Redis or PostgreSQL goes away", () => {
  let cluster: Cluster;
  const clients: FailoverClient[] = [];
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2 });
  }, 90_000);
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  afterAll(async () => {
    await cluster?.dispose();
  });

  /** A client of the manifesto on the given servers (in order of preference), synced. */
  const client = async (nodes: number[], role: "editor" | "reader" = "editor") => {
    const urls = nodes.map((i) => cluster.nodes[i]?.wsUrl as string);
    const c = failoverClient(urls, "manifesto", { params: { token: await cluster.token(role) } });
    clients.push(c);
    await until(() => c.synced, `a client of ${urls.join(", ")}`, 20_000);
    return c;
  };

  /** Types `marker` on `from` and waits until `to` has it. */
  const delivered = async (from: FailoverClient, to: FailoverClient, marker: string, ms = 10_000) => {
    typeMarker(from.doc, marker, 0);
    await until(() => has(to.doc, marker), `${marker} from ${from.url} at ${to.url}`, ms);
  };

  it("after Redis restarts empty, edits on one server reach the clients of another again", async () => {
    const a = await client([0]);
    const b = await client([1]);
    await delivered(a, b, "⟦redis-before⟧");
    await cluster.redis.restart();
    // The servers reconnect to Redis by themselves; until they have, an edit may wait.
    let n = 0;
    await until(
      async () => {
        typeMarker(a.doc, `⟦redis-again-${++n}⟧`, 0);
        await sleep(300);
        return has(b.doc, `⟦redis-again-${n}⟧`);
      },
      "an edit on server 1 reaching server 2 after Redis restarted",
      20_000,
    );
    // And from then on both ways, at once.
    await delivered(a, b, "⟦redis-after-a⟧");
    await delivered(b, a, "⟦redis-after-b⟧");
  });

  it("an edit stored while Redis was down reaches the other server's clients and fresh loads once it is back", async () => {
    const a = await client([0]);
    const b = await client([1]);
    await delivered(a, b, "⟦outage-before⟧");
    await cluster.redis.kill();
    typeMarker(a.doc, "⟦outage-during⟧", 0);
    await cluster.redis.restart();
    await until(
      () => has(b.doc, "⟦outage-during⟧"),
      "the edit made while Redis was down, at server 2",
      20_000,
    );
    await until(
      async () => has(await cluster.stored("manifesto"), "⟦outage-during⟧"),
      "the edit made while Redis was down, in PostgreSQL",
    );
    const fresh = await client([1]);
    expect(has(fresh.doc, "⟦outage-during⟧"), "a fresh load on server 2").toBe(true);
  });

  it("with PostgreSQL unreachable a write is refused with 4500 and a reason, a connected reader keeps reading, and nothing acknowledged is lost", async () => {
    const writer = await client([0, 1]);
    const reader = await client([1], "reader");
    await delivered(writer, reader, "⟦pg-acknowledged⟧");
    const closesBefore = writer.closes.length;
    const readerToken = await cluster.token("reader");
    await cluster.postgres.kill();
    typeMarker(writer.doc, "⟦pg-refused⟧", 0);
    await until(() => writer.closes.length > closesBefore, "the writer's socket closing", 10_000);
    const refusal = writer.closes[closesBefore];
    expect(refusal?.code, JSON.stringify(refusal)).toBe(CloseCode.storageFailure);
    expect(refusal?.reason).toMatch(/stor|database|PostgreSQL/i);
    // The reader's server has the document loaded: the reader stays connected and keeps what it had,
    // and nobody receives the refused edit.
    await sleep(1000);
    expect(reader.synced, `the reader's socket: ${JSON.stringify(reader.closes)}`).toBe(true);
    expect(has(reader.doc, "⟦pg-acknowledged⟧")).toBe(true);
    expect(has(reader.doc, "⟦pg-refused⟧"), "the refused edit reached a reader").toBe(false);
    // Meanwhile a request is told the database cannot be reached (503), and a new socket is closed with
    // 4500 and that reason rather than dropped.
    const http = await fetch(`${cluster.nodes[1]?.url}/api/editions/manifesto`, {
      headers: { authorization: `Bearer ${readerToken}` },
    });
    expect(http.status).toBe(503);
    expect(((await http.json()) as { error: string }).error).toMatch(/database cannot be reached/);
    const late = new WebSocket(`${cluster.nodes[1]?.wsUrl}/manifesto?token=${readerToken}`);
    const lateClose = await new Promise<{ code: number; reason: string }>((resolve) =>
      late.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
    expect(lateClose.code).toBe(CloseCode.storageFailure);
    expect(lateClose.reason).toMatch(/database cannot be reached/);

    await cluster.postgres.restart();
    // The writer reconnects by itself (4500 is not final) and sends what it still holds.
    await until(
      () => writer.synced && has(reader.doc, "⟦pg-refused⟧"),
      `the writer back, its edit at the reader (closes: ${JSON.stringify(writer.closes.slice(closesBefore, closesBefore + 5))})`,
      30_000,
    );
    const stored = await cluster.stored("manifesto");
    expect(has(stored, "⟦pg-acknowledged⟧"), "the edit acknowledged before the outage").toBe(true);
    expect(has(stored, "⟦pg-refused⟧"), "the refused edit, sent again after the outage").toBe(true);
    for (const i of [0, 1]) {
      const fresh = await client([i]);
      expect(has(fresh.doc, "⟦pg-acknowledged⟧"), `a fresh load on server ${i + 1}`).toBe(true);
    }
  });
});
