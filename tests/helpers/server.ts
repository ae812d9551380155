import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Role } from "../../server/accountStore.ts";
import { memoryLog } from "../../server/log.ts";
import { type RunningServer, type ServerOptions, startServer } from "../../server/server.ts";
import { CLIENT, EDITIONS } from "./paths.ts";

export interface TestServer extends RunningServer {
  dataDir: string;
  log: ReturnType<typeof memoryLog>;
  wsUrl: string;
  /** An API token of a person with this role in the edition (created on first use, as the CLI does). */
  token(role: Role, edition?: string): string;
  /** An API token for a named person with a role (as `npx variorum user add <name>` makes). */
  userToken(name: string, role: Role, edition?: string): string;
  /** `fetch` with that role's bearer token. */
  get(path: string, role?: Role): Promise<Response>;
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
  const token = (role: Role, edition = "manifesto") => {
    const key = `${role}@${edition}`;
    let t = tokens.get(key);
    if (!t) {
      t = server.auth.addUserWithToken(`${role}-of-${edition}`, edition, role).token;
      tokens.set(key, t);
    }
    return t;
  };
  return {
    ...server,
    dataDir,
    log,
    wsUrl: `ws://127.0.0.1:${server.port}/sync`,
    token,
    userToken: (name, role, edition = "manifesto") => server.auth.addUserWithToken(name, edition, role).token,
    get: (path, role = "editor") =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token(role)}` } }),
    dispose: async () => {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A y-websocket client in Node, exactly as the contract in the README promises it works. */
export function nodeClient(wsUrl: string, docName: string, params: Record<string, string> = {}) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  });
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
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
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
