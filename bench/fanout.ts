/**
 * `npm run bench -- fanout`: latency of one small update reaching every other client, on our server and
 * on the stock @y/websocket-server 0.1.1 (the baseline), with the same clients, the same document (the
 * Manifesto) and the same machine, in the same run. Our server also stores each update before sending it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getYDoc, setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import { memoryLog } from "../server/log.ts";
import { startServer } from "../server/server.ts";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { nodeClient, synced } from "../tests/helpers/server.ts";

const root = join(import.meta.dirname, "..");
const CLIENTS = Number(process.env.FANOUT_CLIENTS ?? 100);
const UPDATES = Number(process.env.FANOUT_UPDATES ?? 60);

async function stockServer(state: Uint8Array): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  Y.applyUpdate(getYDoc("manifesto"), state);
  http.on("upgrade", (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName: "manifesto" })),
  );
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

async function measure(url: string, room: string, params: Record<string, string>): Promise<number[]> {
  const clients = Array.from({ length: CLIENTS + 1 }, () => nodeClient(url, room, params));
  await Promise.all(clients.map((c) => synced(c.provider)));
  const [sender, ...receivers] = clients as [(typeof clients)[0], ...typeof clients];
  const latencies: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const start = performance.now();
    const arrived = receivers.map(
      (r) =>
        new Promise<void>((resolve) => {
          const on = () => {
            latencies.push(performance.now() - start);
            r.doc.off("update", on);
            resolve();
          };
          r.doc.on("update", on);
        }),
    );
    const p = sender.doc.getXmlFragment("body").get(1) as Y.XmlElement;
    (p.get(0) as Y.XmlText).insert(0, "x");
    await Promise.all(arrived);
  }
  for (const c of clients) c.provider.destroy();
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export async function benchFanout(): Promise<void> {
  const state = Y.encodeStateAsUpdate(manifestoDoc());
  const stock = await stockServer(state);
  const data = mkdtempSync(join(tmpdir(), "variorum-bench-"));
  const ours = await startServer({
    port: 0,
    dataDir: data,
    editionsDir: join(root, "editions"),
    log: memoryLog(),
    rateLimits: { connectionsPerMinute: 100_000 },
  });
  const { token } = await ours.auth.addUserWithToken("bench", "manifesto", "editor");
  try {
    // Warm both up, then measure each twice, alternating, and keep the better run of each.
    await measure(stock.url, "manifesto", {});
    await measure(`ws://127.0.0.1:${ours.port}/sync`, "manifesto", { token });
    const runs: { name: string; lat: number[] }[] = [];
    for (let k = 0; k < 2; k++) {
      runs.push({ name: "stock", lat: await measure(stock.url, "manifesto", {}) });
      runs.push({
        name: "ours",
        lat: await measure(`ws://127.0.0.1:${ours.port}/sync`, "manifesto", { token }),
      });
    }
    const best = (name: string) =>
      runs.filter((r) => r.name === name).sort((a, b) => percentile(a.lat, 50) - percentile(b.lat, 50))[0]
        ?.lat ?? [];
    const s = best("stock");
    const o = best("ours");
    console.log(
      `fan-out benchmark: ${CLIENTS} clients, ${UPDATES} one-character updates, the Manifesto document`,
    );
    console.log("server                          p50 ms   p95 ms");
    console.log(
      `@y/websocket-server 0.1.1 (baseline) ${percentile(s, 50).toFixed(2).padStart(6)} ${percentile(s, 95).toFixed(2).padStart(8)}`,
    );
    console.log(
      `Variorum (checked, stored, then sent) ${percentile(o, 50).toFixed(2).padStart(5)} ${percentile(o, 95).toFixed(2).padStart(8)}`,
    );
    console.log(
      `ratio Variorum/baseline: p50 ${(percentile(o, 50) / percentile(s, 50)).toFixed(2)}×, p95 ${(percentile(o, 95) / percentile(s, 95)).toFixed(2)}×`,
    );
  } finally {
    await stock.close();
    await ours.close();
    rmSync(data, { recursive: true, force: true });
  }
}
