import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Debian's PostgreSQL server programs (the newest installed major version). */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin/postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  return join(root, versions[0], "bin");
}

/** A free TCP port on loopback (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  /** A connection URL to a database made for the caller. */
  database(name: string): Promise<string>;
  port: number;
  /** Stops PostgreSQL at once, as a crash would (`pg_ctl stop -m immediate`); the data stays. */
  kill(): Promise<void>;
  /** Starts PostgreSQL again over the same data, on the same port (after `kill`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server in a temporary folder, on a free loopback port: initdb, then `postgres` itself,
 * as the unprivileged user when the tests run as root (PostgreSQL refuses to run as root). fsync is off:
 * the tests kill Variorum's processes and at most PostgreSQL's (`kill`), never the machine, so what it has
 * committed is not at stake.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "variorum-pg-"));
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: 65534, gid: 65534 } : {};
  if (asRoot) chownSync(dir, 65534, 65534);
  const data = join(dir, "data");
  const init = spawnSync(
    join(bin, "initdb"),
    ["-D", data, "-U", "variorum", "--auth=trust", "-E", "UTF8", "--no-sync"],
    {
      encoding: "utf8",
      ...user,
    },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error}`);
  const port = await freePort();
  const admin = `postgres://variorum@127.0.0.1:${port}/postgres`;
  const run = async (): Promise<ChildProcess> => {
    const child = spawn(
      join(bin, "postgres"),
      ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
      { stdio: ["ignore", "ignore", "pipe"], ...user },
    );
    let log = "";
    child.stderr?.on("data", (d) => {
      log += String(d);
    });
    for (let i = 0; ; i++) {
      const c = new pg.Client({ connectionString: admin });
      try {
        await c.connect();
        await c.end();
        return child;
      } catch {
        await c.end().catch(() => {});
        if (i > 200 || child.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  let child = await run();
  // A test that fails before stop() must not leave PostgreSQL running after the test process.
  const quitOnExit = () => child.kill("SIGQUIT");
  process.once("exit", quitOnExit);
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await gone;
  };
  return {
    port,
    kill: () => halt("SIGQUIT"), // immediate shutdown
    restart: async () => {
      child = await run();
    },
    database: async (name) => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await c.end();
      }
      return `postgres://variorum@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      await halt("SIGINT"); // fast shutdown
      process.removeListener("exit", quitOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
