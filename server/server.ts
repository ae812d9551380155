/**
 * The HTTP server and the websocket door: it routes requests, decides before the upgrade which document
 * a socket may reach, and hands each socket to a Connection. It lives as long as the process.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { ROOT_NAMES } from "../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES, SCHEMA_VERSION } from "../schema/schema.ts";
import { SYNC_FORMAT_PARAM, SYNC_FORMAT_V2 } from "../schema/wire.ts";
import { AccessWatch } from "./accessWatch.ts";
import { createApp } from "./app.ts";
import { Auth } from "./auth.ts";
import { CloseCode } from "./closeCodes.ts";
import { busRelay } from "./cluster/relay.ts";
import { type AsyncRateLimiter, asyncLimiter, redisRateLimiter } from "./cluster/sharedRateLimit.ts";
import { Connection } from "./connection.ts";
import { Documents } from "./documents.ts";
import { consoleLog, type Log } from "./log.ts";
import { can, writableRoots } from "./permissions.ts";
import { clientAddress, isOwnOrigin, type TrustProxy } from "./proxy.ts";
import { rateLimiter } from "./rateLimit.ts";
import { readerRoutes } from "./reader.ts";
import { seedEditions } from "./seed.ts";
import { seedBibliographies } from "./seedBibliography.ts";
import { holdLock } from "./serverLock.ts";
import type { AsyncStore } from "./store/asyncStore.ts";
import { asyncSqlite } from "./store/sqliteAdapter.ts";
import { unreachableStore } from "./store/unreachable.ts";
import { openSqliteStore, type Store } from "./store.ts";

export interface ServerOptions {
  port: number;
  /** Address to listen on; loopback unless told otherwise. */
  host?: string;
  /**
   * Folder of the SQLite store, and of page images' files (with PostgreSQL, only those: every server
   * on one database must see the same folder).
   */
  dataDir: string;
  /** A PostgreSQL URL (`postgres://…`): the store several servers share. The embedded SQLite when absent. */
  databaseUrl?: string | null;
  /** A Redis URL: the bus between several servers on one PostgreSQL store (updates, presence, access). */
  redisUrl?: string | null;
  /** This server's name on the bus; a random one when omitted. */
  nodeId?: string;
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
  /** Which proxy hops' `X-Forwarded-For` to believe (see proxy.ts); none when omitted. */
  trustProxy?: TrustProxy;
  /** The address people reach this server at (behind a proxy): for printed links and the origin check. */
  publicUrl?: string | null;
  /** How often open websockets' access is re-checked when the store's access epoch moved, in ms. */
  accessCheckMs?: number;
  /** Later layers' routes (the reading edition). */
  extend?: Parameters<typeof createApp>[0]["extend"];
}

export interface RunningServer {
  /** Where this process listens. */
  url: string;
  /** Where people reach it: the public URL, or `url` when none is set. */
  publicUrl: string;
  port: number;
  store: AsyncStore;
  /** The embedded SQLite store itself (for the command line's kind of access); null on PostgreSQL. */
  sqlite: Store | null;
  /** The schema migrations this start ran. */
  migrated: readonly { version: number; summary: string }[];
  auth: Auth;
  documents: Documents;
  /** Open websockets' access, re-checked; `revalidate()` re-checks all of them at once. */
  access: AccessWatch;
  http: Server;
  close(): Promise<void>;
}

/** How long the websocket door waits for the store (and the bus) before telling a client to try again. */
const DOOR_TIMEOUT_MS = 10_000;

export const DEFAULT_LIMITS = { maxMessageBytes: 8 * 1024 * 1024, maxDocumentBytes: 64 * 1024 * 1024 };

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? consoleLog();
  const sqlite = options.databaseUrl
    ? null
    : openSqliteStore(options.dataDir, { synchronous: options.synchronous ?? "normal" });
  const postgres = options.databaseUrl
    ? // Loaded only when asked for: the embedded default starts without parsing PostgreSQL's client.
      await (await import("./store/postgres.ts")).openPostgresStore(options.databaseUrl, {
        mediaDir: join(options.dataDir, "media"),
      })
    : null;
  const store: AsyncStore = sqlite ? asyncSqlite(sqlite) : (postgres as AsyncStore);
  if (options.redisUrl && sqlite) {
    await store.close();
    throw new Error("a Redis bus joins servers on one PostgreSQL store: set the database URL too");
  }
  const bus = options.redisUrl
    ? await (await import("./cluster/redisBus.ts"))
        .openRedisBus(options.redisUrl, { log, nodeId: options.nodeId })
        .catch(async (error: Error) => {
          await store.close();
          throw error;
        })
    : null;
  const relay = bus ? busRelay(bus, log) : null;
  const migrated = sqlite ? sqlite.migrated : (postgres?.migrated ?? []);
  if (options.editionsDir) await seedEditions(store, options.editionsDir, log);
  if (options.editionsDir) await seedBibliographies(store, options.editionsDir, log);
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes;
  const documents = new Documents(store, {
    rules: { maxBytes: maxMessageBytes, roots: ROOT_NAMES, nodeNames: NODE_NAMES, markNames: MARK_NAMES },
    compactEvery: options.compactEvery ?? 500,
    maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_LIMITS.maxDocumentBytes,
    unloadAfterMs: options.unloadAfterMs ?? 30_000,
    log,
    relay,
    follow: relay ? (doc) => relay.follow(doc) : null,
  });
  const publicUrl = options.publicUrl ?? null;
  // Served over HTTPS (behind a proxy that terminates TLS), the session cookie is marked Secure.
  const auth = new Auth(store.accounts, { secureCookies: publicUrl?.startsWith("https:") ?? false });
  const access = new AccessWatch(store, auth, log, {
    intervalMs: options.accessCheckMs ?? 250,
    // SQLite's epoch is a local read, made before every message; PostgreSQL's is a network round trip.
    epochCacheMs: sqlite ? 0 : (options.accessCheckMs ?? 250),
  });
  // Another server changed who may do what: look now rather than at the next tick.
  bus?.onAccessChanged(() => {
    void access.check(true);
    // A document deleted on another server: its copy here must not be served or compacted again.
    documents
      .dropDeleted()
      .catch((error: Error) => log.warn(`looking for deleted documents: ${error.message}`));
  });
  const trustProxy = options.trustProxy ?? (() => false);
  // Several servers count together in Redis: an address spreading its attempts over them gains nothing.
  const limiter = (name: string, perMinute: number): AsyncRateLimiter =>
    bus
      ? redisRateLimiter(bus.commands, name, perMinute, 60_000, { log })
      : asyncLimiter(rateLimiter(perMinute, 60_000));
  const signInLimiter = limiter("sign-in", options.rateLimits?.signInPerMinute ?? 10);
  const connectionLimiter = limiter("connections", options.rateLimits?.connectionsPerMinute ?? 240);
  const app = createApp({
    store,
    sqlite,
    documents,
    auth,
    clientDir: options.clientDir ?? null,
    log,
    signInLimiter,
    publicUrl,
    revalidateAccess: () => {
      bus
        ?.publishAccessChanged()
        .catch((error: Error) => log.warn(`telling other servers: ${error.message}`));
      // An edition deleted here: its documents' copies go too (other servers drop theirs on the notice).
      documents
        .dropDeleted()
        .catch((error: Error) => log.warn(`looking for deleted documents: ${error.message}`));
      return access.revalidate();
    },
    extend: (app, requireAccess) => {
      readerRoutes(documents, store)(app, requireAccess);
      options.extend?.(app, requireAccess);
    },
  });
  // The same trust function for Express (req.ip: sign-in limits, logs) as for the websocket door.
  app.set("trust proxy", trustProxy);
  const http = createServer(app);
  // ws enforces the message limit itself, closing with 1009 and a reason before any bytes reach us.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  let nextConnection = 1;

  /** Refuses an upgrade with an HTTP status and a reason, before any websocket exists. */
  const refuseUpgrade = (socket: Duplex, status: number, reason: string, headers: string[] = []) => {
    const text =
      {
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        429: "Too Many Requests",
        500: "Internal Server Error",
        503: "Service Unavailable",
      }[status] ?? "Error";
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n${reason}\n`,
    );
  };

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A door that waits on the store or the bus must not hold a client forever: after this long it is
    // told to try again (a client with several servers tries the next), and the late upgrade is dropped.
    const late = setTimeout(() => {
      if (socket.destroyed || upgrading.has(socket)) return;
      log.warn(`websocket door: no answer from the store within ${DOOR_TIMEOUT_MS} ms; refused`);
      refuseUpgrade(socket, 503, "the document could not be opened in time; try again");
    }, DOOR_TIMEOUT_MS);
    upgrade(req, socket, head)
      .finally(() => clearTimeout(late))
      .catch((error: Error) => {
        log.error(`websocket door: ${error.message}`);
        if (socket.destroyed) return;
        const unreachable = unreachableStore(error);
        if (!unreachable)
          return refuseUpgrade(socket, 500, `the websocket could not be opened: ${error.message}`);
        // Told as a close code a client reads (4500: not acknowledged, try again) rather than a bare refusal.
        wss.handleUpgrade(req, socket, head, (ws) => {
          // Without a listener a bad frame arriving before the close ends would crash the process.
          ws.on("error", (e) => log.warn(`websocket refused for the store: ${e.message}`));
          ws.close(CloseCode.storageFailure, unreachable.slice(0, 120));
        });
      });
  });
  /** Sockets handed to ws for the handshake: the door's timeout no longer answers them. */
  const upgrading = new WeakSet<Duplex>();

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", (error) => log.warn(`upgrade socket: ${error.message}`));
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/sync\/(.+)$/.exec(url.pathname);
    if (!match) return refuseUpgrade(socket, 404, "no websocket endpoint here");
    const address = clientAddress(req, trustProxy);
    if (!(await connectionLimiter.take(address))) {
      log.warn(`refused a websocket from ${address}: too many connections`);
      return refuseUpgrade(socket, 429, "too many connections; wait a minute", [
        `Retry-After: ${await connectionLimiter.retryAfter(address)}`,
      ]);
    }
    // A browser page from another site must not reach our documents with this browser's cookie.
    const origin = req.headers.origin;
    if (origin && !isOwnOrigin(origin, req.headers.host, publicUrl)) {
      log.warn(`refused a websocket from origin ${origin} (client ${address})`);
      return refuseUpgrade(socket, 403, `websocket from origin ${origin} refused`);
    }
    let docName: string;
    try {
      docName = decodeURIComponent(match[1] as string);
    } catch {
      return refuseUpgrade(socket, 404, `no document "${match[1]}": its name is not valid percent-encoding`);
    }
    const editionId = docName.split("/")[0] as string;
    const edition = await store.getEdition(editionId);
    // The epoch before the lookup: a change made after it is caught when the socket is watched.
    const epoch = await access.currentEpoch();
    const identity = edition ? await auth.identify(req) : null;
    const principal = identity?.principal ?? null;
    const role = edition ? await auth.roleFor(principal, edition) : null;
    if (edition && !can(role, "read")) {
      const status = principal ? 403 : 401;
      const reason = principal
        ? `${principal.name} is not a member of edition "${editionId}"`
        : `sign in (a session cookie, or ?token=) to open edition "${editionId}": it is not published`;
      log.warn(`refused a websocket for "${docName}" from ${address}: ${reason}`);
      return refuseUpgrade(socket, status, reason);
    }
    const clientSchema = url.searchParams.get("schema");
    // Loaded before the upgrade, so that a store that cannot be reached is told as such (close 4500).
    const schemaMatches = clientSchema === null || Number(clientSchema) === SCHEMA_VERSION;
    const doc = edition && schemaMatches ? await documents.get(docName) : null;
    // The client left, or the door's timeout already answered it.
    if (socket.destroyed || socket.writableEnded) return doc ? documents.release(doc) : undefined;
    // ws may refuse the handshake itself (a bad key or version) without calling back: the document
    // loaded for it is released then, or it would never be unloaded.
    let upgraded = false;
    if (doc) socket.once("close", () => upgraded || documents.release(doc));
    upgrading.add(socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      ws.on("error", (error) => log.warn(`websocket to "${docName}": ${error.message}`));
      if (clientSchema !== null && Number(clientSchema) !== SCHEMA_VERSION) {
        const reason = `schema version ${clientSchema} does not match the server's ${SCHEMA_VERSION}; reload the page`;
        log.warn(`refused a client for "${docName}": ${reason}`);
        ws.close(CloseCode.schemaOutdated, reason);
        return;
      }
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
          user: principal?.displayName ?? null,
          writable: writableRoots(role),
          grant: {
            editionId,
            tokenId: identity?.token.id ?? null,
            userName: principal?.name ?? null,
            role,
            epoch,
          },
          maxBufferedBytes: 64 * 1024 * 1024,
          syncFormat: url.searchParams.get(SYNC_FORMAT_PARAM) === SYNC_FORMAT_V2 ? "v2" : "v1",
        },
        log,
      );
      // Its first message waits for its own admission check, which a change of access may have made due.
      let admitted: Promise<unknown> = Promise.resolve();
      connection.beforeMessage = async () => {
        await admitted;
        return access.check();
      };
      connection.onDispose = () => {
        access.remove(connection);
        documents.release(doc);
      };
      admitted = access.add(connection).catch((error: Error) => {
        log.error(`access of connection ${connection.id} cannot be checked: ${error.message}`);
        connection.close(CloseCode.storageFailure, "access cannot be checked now: the store does not answer");
      });
    });
  };

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host =
    options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "localhost";
  const url = `http://${host === "127.0.0.1" ? "localhost" : host}:${port}`;
  // One process owns a SQLite file; PostgreSQL is shared by design.
  const lock = sqlite ? holdLock(options.dataDir, url) : null;

  return {
    url,
    publicUrl: publicUrl ?? url,
    port,
    store,
    sqlite,
    migrated,
    auth,
    documents,
    access,
    http,
    close: async () => {
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, "the server is shutting down");
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      wss.close();
      access.close();
      await documents.closeAll();
      await bus?.close();
      await store.close();
      lock?.release();
    },
  };
}
