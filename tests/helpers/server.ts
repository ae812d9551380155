import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { takeSyncAnswersV2 } from "../../client/syncAnswer.ts";
import { SYNC_FORMAT_PARAM, SYNC_FORMAT_V2 } from "../../schema/wire.ts";
import type { Role } from "../../server/accountStore.ts";
import type { OpenDocument } from "../../server/document.ts";
import { memoryLog } from "../../server/log.ts";
import { type RunningServer, type ServerOptions, startServer } from "../../server/server.ts";
import type { Store } from "../../server/store.ts";
import { CLIENT, EDITIONS } from "./paths.ts";
import { addUserToken } from "./process.ts";

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The SQLite store, synchronously (what the command line sees); tests read and arrange through it. */
  db: Store;
  log: ReturnType<typeof memoryLog>;
  wsUrl: string;
  /** An API token of a person with this role in the edition (created on first use, as the CLI does). */
  token(role: Role, edition?: string): string;
  /** An API token for a named person with a role (as `npx variorum user add <name>` makes). */
  userToken(name: string, role: Role, edition?: string): string;
  /** `fetch` with that role's bearer token. */
  get(path: string, role?: Role): Promise<Response>;
  /** A document open now (a client holds it), synchronously; throws when it is not in memory. */
  opened(name?: string): OpenDocument;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = "variorum-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts the real server on port 0 over a fresh data folder, seeded from editions/. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const log = memoryLog();
  const server = await startServer({
    port: 0,
    dataDir,
    editionsDir: EDITIONS,
    clientDir: CLIENT,
    log,
    ...options,
  });
  const tokens = new Map<string, string>();
  // Synchronously, on the SQLite file, as `npx variorum user add` does: tests ask for tokens inline.
  const userToken = (name: string, role: Role, edition = "manifesto") => {
    if (!server.sqlite) throw new Error("userToken(): a PostgreSQL test server makes tokens with auth");
    return addUserToken(server.sqlite.accounts, name, role, edition);
  };
  const token = (role: Role, edition = "manifesto") => {
    const key = `${role}@${edition}`;
    let t = tokens.get(key);
    if (!t) {
      t = userToken(`${role}-of-${edition}`, role, edition);
      tokens.set(key, t);
    }
    return t;
  };
  const db = server.sqlite;
  if (!db)
    throw new Error("startTestServer: tests of PostgreSQL start the server through tests/helpers/cluster.ts");
  return {
    ...server,
    dataDir,
    db,
    log,
    opened: (name = "manifesto") => {
      const doc = server.documents.opened(name);
      if (!doc) throw new Error(`document "${name}" is not open on the test server`);
      return doc;
    },
    wsUrl: `ws://127.0.0.1:${server.port}/sync`,
    token,
    userToken,
    get: (path, role = "editor") =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token(role)}` } }),
    dispose: async () => {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A y-websocket client in Node, exactly as the contract in the README promises it works. */
/**
 * A y-websocket client in Node. A stock one by default; with `SYNC_ANSWER_PARAMS` among its parameters,
 * one that takes its sync answers in Yjs's second update format, as the workbench does (schema/wire.ts).
 */
export function nodeClient(wsUrl: string, docName: string, params: Record<string, string> = {}) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  });
  if (params[SYNC_FORMAT_PARAM] === SYNC_FORMAT_V2) takeSyncAnswersV2(provider);
  return { doc, provider };
}

export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const on = (s: boolean) => {
      if (s) {
        provider.off("sync", on);
        resolve();
      }
    };
    provider.on("sync", on);
  });
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens a raw websocket and resolves with its close code and reason. */
export function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "nodebuffer";
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}
