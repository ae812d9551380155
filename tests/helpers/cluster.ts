import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import type { Role } from "../../server/accountStore.ts";
import { Auth } from "../../server/auth.ts";
import type { AsyncAccountStore, AsyncStore } from "../../server/store/asyncStore.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { ROOT } from "./paths.ts";
import { startPostgres, type TestPostgres } from "./postgres.ts";
import { startRedis, type TestRedis } from "./redis.ts";

/** One Variorum server of a cluster: `npm start`'s bundle in its own process, on a port kept across restarts. */
export interface ClusterNode {
  /** VARIORUM_NODE_ID */
  id: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `ws://127.0.0.1:<port>/sync`, what a y-websocket client is given. */
  wsUrl: string;
  /** The process running now (a new one after each restart). */
  readonly child: ChildProcess;
  alive(): boolean;
  /** What the current process has printed (stdout and stderr). */
  output(): string;
  /** `kill -9`: the process ends at once, with nothing flushed or closed. */
  kill9(): Promise<void>;
  /** SIGTERM, the way an operator stops a server: it closes its connections first. */
  stop(): Promise<void>;
  /** Starts the node again on the same port (stopping it first with kill -9 if it still runs). */
  restart(): Promise<void>;
}

export interface Cluster {
  nodes: ClusterNode[];
  databaseUrl: string;
  /** VARIORUM_DATA of every node: in PostgreSQL mode only the page images' files live there. */
  dataDir: string;
  postgres: TestPostgres;
  redis: TestRedis;
  /** The test's own connection to the database, as the nodes see it. */
  store: AsyncStore;
  /** The websocket URLs of all nodes, for a failover client. */
  wsUrls(): string[];
  /** An API token of a person with this role in the edition (one person per role, made on first use). */
  token(role: Role, edition?: string): Promise<string>;
  /** An API token of a named person with a role in the edition (as `npx variorum user add <name>` makes). */
  userToken(name: string, role: Role, edition?: string): Promise<string>;
  /** The document as PostgreSQL holds it: its snapshot and every update after it, applied to a new doc. */
  stored(docName: string): Promise<Y.Doc>;
  /** Stops every node, Redis and PostgreSQL, and removes their folders. */
  dispose(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  /** More environment for every node. */
  env?: Record<string, string>;
  /**
   * Start the nodes at once, as servers behind a load balancer do, so that migrating and seeding an
   * empty database must cope with it (the default); false starts them one after the other.
   */
  together?: boolean;
}

const children = new Set<ChildProcess>();
// A test that fails before dispose() must leave no server running after the test process.
process.once("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts `dist/server/main.mjs` with `env` and waits until it prints its address. */
async function spawnNode(env: Record<string, string>): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, "dist/server/main.mjs")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${env.VARIORUM_NODE_ID} did not start within 30 s:\n${out}`));
    }, 30_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`node ${env.VARIORUM_NODE_ID} exited with ${code} while starting:\n${out}`));
    };
    child.once("exit", onExit);
    child.stdout?.on("data", function listen() {
      if (/running at http:\/\/\S+/.test(out)) {
        clearTimeout(timer);
        child.off("exit", onExit);
        child.stdout?.off("data", listen);
        resolve();
      }
    });
  });
  return { child, out: () => out };
}

async function startNode(index: number, env: Record<string, string>): Promise<ClusterNode> {
  const id = `node-${index + 1}`;
  const first = await spawnNode({ ...env, VARIORUM_NODE_ID: id, PORT: "0" });
  let current = first;
  const port = Number(/running at http:\/\/[^:\s]+:(\d+)/.exec(first.out())?.[1]);
  if (!port) throw new Error(`node ${id} printed no port:\n${first.out()}`);
  const kill9 = async () => {
    current.child.kill("SIGKILL");
    await exited(current.child);
  };
  return {
    id,
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    get child() {
      return current.child;
    },
    alive: () => current.child.exitCode === null && current.child.signalCode === null,
    output: () => current.out(),
    kill9,
    stop: async () => {
      current.child.kill("SIGTERM");
      await exited(current.child);
    },
    restart: async () => {
      await kill9();
      current = await spawnNode({ ...env, VARIORUM_NODE_ID: id, PORT: String(port) });
    },
  };
}

/** Adds a person (or finds them), gives them a role in an edition and makes an API token: auth.ts's own. */
const addUserWithToken = async (accounts: AsyncAccountStore, name: string, editionId: string, role: Role) =>
  (await new Auth(accounts).addUserWithToken(name, editionId, role)).token;

let clusters = 0;

/**
 * Several Variorum servers as `npm start` runs them, over one real PostgreSQL (a fresh database) and
 * one real Redis, all on free loopback ports, sharing one data folder for page images.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const postgres = await startPostgres();
  const redis = await startRedis().catch(async (error: Error) => {
    await postgres.stop();
    throw error;
  });
  const dataDir = mkdtempSync(join(tmpdir(), "variorum-cluster-"));
  const nodes: ClusterNode[] = [];
  let store: AsyncStore | null = null;
  const dispose = async () => {
    await Promise.all(nodes.map((n) => n.kill9()));
    await store?.close().catch(() => {});
    await redis.stop();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const databaseUrl = await postgres.database(`cluster${++clusters}`);
    const env = {
      VARIORUM_DATABASE_URL: databaseUrl,
      VARIORUM_REDIS_URL: redis.url,
      VARIORUM_DATA: dataDir,
      // Many test clients come from one address; the limit itself is tested elsewhere.
      VARIORUM_CONNECTIONS_PER_MINUTE: "100000",
      ...options.env,
    };
    if (options.together === false) {
      for (let i = 0; i < options.nodes; i++) nodes.push(await startNode(i, env));
    } else {
      const started = await Promise.allSettled(
        Array.from({ length: options.nodes }, (_, i) => startNode(i, env)),
      );
      for (const s of started) if (s.status === "fulfilled") nodes.push(s.value);
      const failed = started.find((s) => s.status === "rejected");
      if (failed) throw failed.reason;
    }
    const opened = await openPostgresStore(databaseUrl, { mediaDir: join(dataDir, "media") });
    store = opened;
    const tokens = new Map<string, Promise<string>>();
    const token = (role: Role, edition = "manifesto") => {
      const key = `${role}@${edition}`;
      let t = tokens.get(key);
      if (!t) {
        t = addUserWithToken(opened.accounts, `${role}-of-${edition}`, edition, role);
        tokens.set(key, t);
      }
      return t;
    };
    return {
      nodes,
      databaseUrl,
      dataDir,
      postgres,
      redis,
      store: opened,
      wsUrls: () => nodes.map((n) => n.wsUrl),
      token,
      userToken: (name, role, edition = "manifesto") =>
        addUserWithToken(opened.accounts, name, edition, role),
      stored: async (docName) => {
        const { updates } = await opened.load(docName);
        const doc = new Y.Doc();
        for (const u of updates) Y.applyUpdate(doc, u);
        return doc;
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
