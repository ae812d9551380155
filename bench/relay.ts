/**
 * The fan-out benchmark's baseline: a raw websocket relay, as small as a relay can be. Every binary
 * message a socket sends goes to every other socket of its room (the URL's path); nothing is decoded,
 * checked, kept or stored. Run as its own process (`node --import tsx bench/relay.ts`), as the servers
 * it is measured against are, so that it competes with the benchmark's clients for the CPU as they do;
 * it prints `relay listening on <port>`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

const rooms = new Map<string, Set<WebSocket>>();
const http = createServer();
const wss = new WebSocketServer({ server: http });
wss.on("connection", (ws, req) => {
  const name = new URL(req.url ?? "/", "http://relay").pathname;
  let room = rooms.get(name);
  if (!room) {
    room = new Set();
    rooms.set(name, room);
  }
  const peers = room;
  peers.add(ws);
  ws.on("message", (data, isBinary) => {
    if (!isBinary) return;
    for (const peer of peers) if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data);
  });
  ws.on("close", () => peers.delete(ws));
  ws.on("error", () => peers.delete(ws));
});
http.listen(0, "127.0.0.1", () => {
  console.log(`relay listening on ${(http.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
