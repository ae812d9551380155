/**
 * The HTTP server and the websocket door: it routes requests, decides before the upgrade which document
 * a socket may reach, and hands each socket to a Connection. It lives as long as the process.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { ROOT_NAMES } from "../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES, SCHEMA_VERSION } from "../schema/schema.ts";
import { createApp } from "./app.ts";
import { CloseCode } from "./closeCodes.ts";
import { Connection } from "./connection.ts";
import { Documents } from "./documents.ts";
import { consoleLog, type Log } from "./log.ts";
import { seedEditions } from "./seed.ts";
import { openSqliteStore, type Store } from "./store.ts";

export interface ServerOptions {
  port: number;
  /** Address to listen on; loopback unless told otherwise. */
  host?: string;
  /** Folder of the SQLite store. */
  dataDir: string;
  /** Folder of edition sources to seed from; none when omitted. */
  editionsDir?: string;
  /** Folder of the built client (index.html, main.js). */
  clientDir?: string;
  log?: Log;
  /** Largest websocket message, in bytes. */
  maxMessageBytes?: number;
  /** Largest encoded document, in bytes. */
  maxDocumentBytes?: number;
  compactEvery?: number;
  unloadAfterMs?: number;
  synchronous?: "normal" | "full";
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  documents: Documents;
  http: Server;
  close(): Promise<void>;
}

export const DEFAULT_LIMITS = { maxMessageBytes: 8 * 1024 * 1024, maxDocumentBytes: 64 * 1024 * 1024 };

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? consoleLog();
  const store = openSqliteStore(options.dataDir, { synchronous: options.synchronous ?? "normal" });
  if (options.editionsDir) seedEditions(store, options.editionsDir, log);
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes;
  const documents = new Documents(store, {
    rules: { maxBytes: maxMessageBytes, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES },
    compactEvery: options.compactEvery ?? 500,
    maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_LIMITS.maxDocumentBytes,
    unloadAfterMs: options.unloadAfterMs ?? 30_000,
    log,
  });
  const app = createApp({ store, documents, clientDir: options.clientDir ?? null, log });
  const http = createServer(app);
  // ws enforces the message limit itself, closing with 1009 and a reason before any bytes reach us.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  let nextConnection = 1;

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", (error) => log.warn(`upgrade socket: ${error.message}`));
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/sync\/(.+)$/.exec(url.pathname);
    if (!match) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno websocket endpoint here\n");
      return;
    }
    const docName = decodeURIComponent(match[1] as string);
    const clientSchema = url.searchParams.get("schema");
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", (error) => log.warn(`websocket to "${docName}": ${error.message}`));
      if (clientSchema !== null && Number(clientSchema) !== SCHEMA_VERSION) {
        const reason = `schema version ${clientSchema} does not match the server's ${SCHEMA_VERSION}; reload the page`;
        log.warn(`refused a client for "${docName}": ${reason}`);
        ws.close(CloseCode.schemaOutdated, reason);
        return;
      }
      const doc = documents.get(docName);
      if (!doc) {
        log.warn(`refused a client for unknown document "${docName}"`);
        ws.close(CloseCode.unknownDocument, `unknown edition or document "${docName}"`.slice(0, 123));
        return;
      }
      const connection = new Connection(
        ws,
        doc,
        { id: nextConnection++, user: null, canWrite: true, maxBufferedBytes: 64 * 1024 * 1024 },
        log,
      );
      connection.onDispose = () => documents.release(doc);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host =
    options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "localhost";
  const url = `http://${host === "127.0.0.1" ? "localhost" : host}:${port}`;

  return {
    url,
    port,
    store,
    documents,
    http,
    close: async () => {
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, "the server is shutting down");
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      wss.close();
      documents.closeAll();
      store.close();
    },
  };
}
