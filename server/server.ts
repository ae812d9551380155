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
import { Auth } from "./auth.ts";
import { CloseCode } from "./closeCodes.ts";
import { Connection } from "./connection.ts";
import { Documents } from "./documents.ts";
import { consoleLog, type Log } from "./log.ts";
import { can, writableRoots } from "./permissions.ts";
import { rateLimiter } from "./rateLimit.ts";
import { readerRoutes } from "./reader.ts";
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
  /** Sign-in attempts and websocket connections allowed per client address per minute. */
  rateLimits?: { signInPerMinute?: number; connectionsPerMinute?: number };
  /** Later layers' routes (the reading edition). */
  extend?: Parameters<typeof createApp>[0]["extend"];
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  auth: Auth;
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
  const auth = new Auth(store.accounts);
  const signInLimiter = rateLimiter(options.rateLimits?.signInPerMinute ?? 10, 60_000);
  const connectionLimiter = rateLimiter(options.rateLimits?.connectionsPerMinute ?? 240, 60_000);
  const app = createApp({
    store,
    documents,
    auth,
    clientDir: options.clientDir ?? null,
    log,
    signInLimiter,
    extend: (app, requireAccess) => {
      readerRoutes(documents)(app, requireAccess);
      options.extend?.(app, requireAccess);
    },
  });
  const http = createServer(app);
  // ws enforces the message limit itself, closing with 1009 and a reason before any bytes reach us.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  let nextConnection = 1;

  /** Refuses an upgrade with an HTTP status and a reason, before any websocket exists. */
  const refuseUpgrade = (socket: Duplex, status: number, reason: string, headers: string[] = []) => {
    const text =
      { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests" }[status] ??
      "Error";
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n${reason}\n`,
    );
  };

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", (error) => log.warn(`upgrade socket: ${error.message}`));
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/sync\/(.+)$/.exec(url.pathname);
    if (!match) return refuseUpgrade(socket, 404, "no websocket endpoint here");
    const address = req.socket.remoteAddress ?? "?";
    if (!connectionLimiter.take(address)) {
      log.warn(`refused a websocket from ${address}: too many connections`);
      return refuseUpgrade(socket, 429, "too many connections; wait a minute", [
        `Retry-After: ${connectionLimiter.retryAfter(address)}`,
      ]);
    }
    // A browser page from another site must not reach our documents with this browser's cookie.
    const origin = req.headers.origin;
    if (origin && new URL(origin).host !== req.headers.host) {
      log.warn(`refused a websocket from origin ${origin}`);
      return refuseUpgrade(socket, 403, `websocket from origin ${origin} refused`);
    }
    const docName = decodeURIComponent(match[1] as string);
    const editionId = docName.split("/")[0] as string;
    const edition = store.getEdition(editionId);
    const principal = edition ? auth.principal(req) : null;
    const role = edition ? auth.roleFor(principal, edition) : null;
    if (edition && !can(role, "read")) {
      const status = principal ? 403 : 401;
      const reason = principal
        ? `${principal.name} is not a member of edition "${editionId}"`
        : `sign in (a session cookie, or ?token=) to open edition "${editionId}": it is not published`;
      log.warn(`refused a websocket for "${docName}": ${reason}`);
      return refuseUpgrade(socket, status, reason);
    }
    const clientSchema = url.searchParams.get("schema");
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", (error) => log.warn(`websocket to "${docName}": ${error.message}`));
      if (clientSchema !== null && Number(clientSchema) !== SCHEMA_VERSION) {
        const reason = `schema version ${clientSchema} does not match the server's ${SCHEMA_VERSION}; reload the page`;
        log.warn(`refused a client for "${docName}": ${reason}`);
        ws.close(CloseCode.schemaOutdated, reason);
        return;
      }
      const doc = edition ? documents.get(docName) : null;
      if (!doc || !role) {
        log.warn(`refused a client for unknown document "${docName}"`);
        ws.close(CloseCode.unknownDocument, `unknown edition or document "${docName}"`.slice(0, 123));
        return;
      }
      const connection = new Connection(
        ws,
        doc,
        {
          id: nextConnection++,
          user: principal?.name ?? null,
          writable: writableRoots(role),
          maxBufferedBytes: 64 * 1024 * 1024,
        },
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
    auth,
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
