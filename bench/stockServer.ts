/**
 * The stock y-websocket server, `@y/websocket-server` 0.1.1, holding the Manifesto: the fan-out
 * benchmark's second reference (a server that keeps the document in memory and stores nothing). Run as
 * its own process (`node --import tsx bench/stockServer.ts`); it prints `stock server listening on <port>`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getYDoc, setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import { manifestoDoc } from "../tests/helpers/edition.ts";

Y.applyUpdate(getYDoc("manifesto"), Y.encodeStateAsUpdate(manifestoDoc()));
const http = createServer();
const wss = new WebSocketServer({ noServer: true });
http.on("upgrade", (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName: "manifesto" })),
);
http.listen(0, "127.0.0.1", () => {
  console.log(`stock server listening on ${(http.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
