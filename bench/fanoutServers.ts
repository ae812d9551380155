/**
 * The servers the fan-out benchmark measures, each in processes of its own as it runs in use: the raw
 * relay (`relay.ts`), the stock y-websocket server (`stockServer.ts`), one Variorum node on SQLite (`npm start`'s bundle), and Variorum over PostgreSQL
 * with or without Redis as `npm run cluster` starts it (PostgreSQL with its default, durable settings).
 * Each gives the websocket addresses of its nodes, with a token that may edit the Manifesto.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore } from "../server/store/postgres.ts";
import { addUser, exited, spawnServer } from "../tests/helpers/process.ts";

const ROOT = join(import.meta.dirname, "..");
/** A thousand clients come from one address: the connection limit is lifted (it is configurable for this). */
const LIMITS = { VARIORUM_CONNECTIONS_PER_MINUTE: "1000000" };

export interface Setup {
  /** The address each client of node `i` opens. */
  urls: string[];
  /** Whether the server holds the document (and so answers sync step 1); the relay does not. */
  holdsDocument: boolean;
  close(): Promise<void>;
}

/** Resolves with the first match of `ready` in a child's output. */
function started(child: ChildProcess, ready: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    let done = false;
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 90 s:\n${out}`)), 90_000);
    // The listeners stay once it is ready, keeping nothing: a pipe nobody reads would stall the child.
    const on = (d: Buffer) => {
      if (done) return;
      out += String(d);
      const m = ready.exec(out);
      if (m) {
        done = true;
        out = "";
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`${what} exited with ${code}:\n${out}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  const gone = exited(child);
  child.kill("SIGTERM");
  await gone;
}

/** A baseline server process of this folder (`relay.ts`, `stockServer.ts`), which prints its port. */
async function baseline(file: string, holdsDocument: boolean): Promise<Setup> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench", file)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [, port] = await started(child, /listening on (\d+)/, file);
  return {
    urls: [`ws://127.0.0.1:${port}/manifesto`],
    holdsDocument,
    close: () => stop(child),
  };
}

/** The raw relay of `relay.ts`. */
export const relaySetup = (): Promise<Setup> => baseline("relay.ts", false);

/** The stock `@y/websocket-server` of `stockServer.ts`, holding the Manifesto. */
export const stockSetup = (): Promise<Setup> => baseline("stockServer.ts", true);

/** One node as `npm start` runs it: the embedded SQLite store in a temporary folder. */
export async function sqliteSetup(): Promise<Setup> {
  const data = mkdtempSync(join(tmpdir(), "variorum-fanout-"));
  const { child, port } = await spawnServer(data, LIMITS);
  const token = addUser(data, "bench", "editor");
  return {
    urls: [`ws://127.0.0.1:${port}/sync/manifesto?token=${token}`],
    holdsDocument: true,
    close: async () => {
      await stop(child);
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** `npm run cluster -- --nodes N` (with `--no-redis` for one node without Redis), and an editor's token. */
export async function clusterSetup(nodes: number, redis: boolean): Promise<Setup> {
  const args = [
    join(ROOT, "scripts/cluster.mjs"),
    "--nodes",
    String(nodes),
    ...(redis ? [] : ["--no-redis"]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...LIMITS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [, out = ""] = await started(child, /([\s\S]*)Ctrl-C stops all\./, "npm run cluster");
  const ports = [...out.matchAll(/^ {2}node-\d+ {2}http:\/\/[^:\s]+:(\d+)/gm)].map((m) => m[1]);
  const databaseUrl = /^ {2}database {2}(\S+)/m.exec(out)?.[1];
  if (ports.length !== nodes || !databaseUrl)
    throw new Error(`npm run cluster printed no addresses:\n${out}`);
  const media = mkdtempSync(join(tmpdir(), "variorum-fanout-media-"));
  const store = await openPostgresStore(databaseUrl, { mediaDir: media });
  let token: string;
  try {
    const user = await store.accounts.createUser("bench", null, false);
    await store.accounts.setRole(user.id, "manifesto", "editor");
    token = await store.accounts.createToken({
      kind: "api",
      userId: user.id,
      editionId: null,
      role: null,
      label: "fan-out benchmark",
      expiresAt: null,
    });
  } finally {
    await store.close();
    rmSync(media, { recursive: true, force: true });
  }
  return {
    urls: ports.map((p) => `ws://127.0.0.1:${p}/sync/manifesto?token=${token}`),
    holdsDocument: true,
    close: () => stop(child),
  };
}
