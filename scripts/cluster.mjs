// `npm run cluster [-- --nodes N] [--no-redis]`: several Variorum servers on one machine, for trying them
// out (and for the fan-out benchmark; `--no-redis` gives one node on PostgreSQL alone). It starts
// Debian's PostgreSQL (initdb in a temporary folder) and redis-server on free loopback ports, creates a
// database, then N nodes (2 by default) of `npm start`'s server sharing that database, that Redis and one
// media folder; it prints their addresses and the owner's one-time link. Ctrl-C stops everything and
// removes the temporary folder (the database with it: nothing here is meant to be kept).
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist/server/main.mjs");
/** PostgreSQL refuses to run as root: when we are root, its files and processes belong to "nobody". */
const NOBODY = 65534;

function fail(message) {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(1);
}

function parseOptions(argv) {
  let nodes = 2;
  let redis = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run cluster [-- --nodes N] [--no-redis]");
      console.log("  --nodes N    Variorum nodes to start, 2 by default (1 to 9)");
      console.log("  --no-redis   PostgreSQL only, no fan-out between nodes (for one node)");
      process.exit(0);
    }
    if (arg === "--no-redis") {
      redis = false;
      continue;
    }
    const value = arg === "--nodes" ? argv[++i] : arg.startsWith("--nodes=") ? arg.slice(8) : undefined;
    if (value === undefined) fail(`unknown option "${arg}" (the options are --nodes N and --no-redis)`);
    nodes = Number(value);
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9)
      fail(`--nodes: "${value}" is not a whole number from 1 to 9`);
  }
  if (!redis && nodes > 1)
    fail(`--no-redis with ${nodes} nodes: without Redis a node's clients never hear another node's edits`);
  return { nodes, redis };
}

/** Debian's PostgreSQL server programs (the newest installed major version). */
function postgresBin() {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, "bin/postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    fail(
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): apt-get install -y postgresql",
    );
  return join(base, versions[0], "bin");
}

function redisBin() {
  for (const dir of ["/usr/bin", ...(process.env.PATH ?? "").split(":")]) {
    if (dir && existsSync(join(dir, "redis-server"))) return join(dir, "redis-server");
  }
  fail("redis-server is not installed: apt-get install -y redis-server");
}

/** A free TCP port on loopback (asked of the kernel, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the first match of `pattern` in what the child writes; rejects if it exits first. */
function waitFor(child, name, pattern, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let seen = "";
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${seen}`)), timeoutMs);
    // The listener stays (a pipe nobody reads would stall the child) but keeps nothing once ready.
    const onData = (d) => {
      if (ready) return;
      seen += String(d);
      const m = pattern.exec(seen);
      if (m) {
        ready = true;
        seen = "";
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${seen}`));
    });
  });
}

/** Prefixes every line a child writes with its name, so the nodes' logs can be told apart. */
function relay(child, name) {
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let rest = "";
    from?.on("data", (d) => {
      const lines = (rest + String(d)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) to.write(`[${name}] ${line}\n`);
    });
  }
}

const children = [];
let dir = "";
let stopping = false;

/** Stops the nodes first (they compact and close their connections), then Redis and PostgreSQL. */
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const stop = (c, signal) =>
    c.process.exitCode !== null || c.process.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => c.process.kill("SIGKILL"), 15_000);
          c.process.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          c.process.kill(signal);
        });
  await Promise.all(children.filter((c) => c.kind === "node").map((c) => stop(c, "SIGTERM")));
  await Promise.all(
    children
      .filter((c) => c.kind !== "node")
      .map((c) => stop(c, c.kind === "postgres" ? "SIGINT" : "SIGTERM")),
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

async function startPostgres(bin) {
  const pgDir = join(dir, "postgres");
  mkdirSync(pgDir);
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  if (asRoot) {
    chownSync(dir, NOBODY, NOBODY);
    chownSync(pgDir, NOBODY, NOBODY);
  }
  const data = join(pgDir, "data");
  const init = spawnSync(join(bin, "initdb"), ["-D", data, "-U", "variorum", "--auth=trust", "-E", "UTF8"], {
    encoding: "utf8",
    ...user,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error}`);
  const port = await freePort();
  const child = spawn(
    join(bin, "postgres"),
    ["-D", data, "-p", String(port), "-k", pgDir, "-c", "listen_addresses=127.0.0.1"],
    // Its own process group, so that Ctrl-C in the terminal reaches the nodes but not the database
    // they are still writing to: it is stopped after them.
    { stdio: ["ignore", "pipe", "pipe"], detached: true, ...user },
  );
  children.push({ kind: "postgres", process: child });
  await waitFor(child, "PostgreSQL", /ready to accept connections/);
  const admin = new pg.Client({ connectionString: `postgres://variorum@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    await admin.query("CREATE DATABASE variorum");
  } finally {
    await admin.end();
  }
  return `postgres://variorum@127.0.0.1:${port}/variorum`;
}

async function startRedis(bin) {
  const redisDir = join(dir, "redis");
  mkdirSync(redisDir);
  const port = await freePort();
  const child = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir],
    { stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  children.push({ kind: "redis", process: child });
  await waitFor(child, "redis-server", /Ready to accept connections/);
  return `redis://127.0.0.1:${port}`;
}

/** Starts one node and resolves with its address and the owner's link if it printed one. */
async function startNode(index, env) {
  const name = `node-${index}`;
  const port = await freePort();
  const child = spawn(process.execPath, [bundle], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", VARIORUM_NODE_ID: name },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push({ kind: "node", process: child });
  let out = "";
  const collect = (d) => {
    out += String(d);
  };
  child.stdout.on("data", collect);
  const [, url] = await waitFor(child, name, /running at (http:\/\/\S+)/);
  // The owner's link is printed on the line after the address, when no account exists yet.
  await new Promise((r) => setTimeout(r, 300));
  child.stdout.off("data", collect);
  const link = /(http\S*\/claim\/\S+)/.exec(out)?.[1] ?? null;
  relay(child, name);
  child.once("exit", (code, signal) => {
    if (!stopping)
      console.log(`[${name}] exited (${signal ?? code}); the other nodes go on. Ctrl-C stops all.`);
  });
  return { name, url, pid: child.pid, link };
}

const options = parseOptions(process.argv.slice(2));
const nodes = options.nodes;
const pgBin = postgresBin();
const redis = options.redis ? redisBin() : null;
if (!existsSync(bundle)) {
  console.log("dist/server/main.mjs is missing: npm run build");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) fail("npm run build failed");
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stopAll(0));
// Should this script end any other way, PostgreSQL and Redis (in groups of their own) must not outlive it.
process.on("exit", () => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

try {
  dir = mkdtempSync(join(tmpdir(), "variorum-cluster-"));
  const [databaseUrl, redisUrl] = await Promise.all([startPostgres(pgBin), redis && startRedis(redis)]);
  const media = join(dir, "data");
  mkdirSync(media);
  const env = { VARIORUM_DATABASE_URL: databaseUrl, VARIORUM_DATA: media };
  if (redisUrl) env.VARIORUM_REDIS_URL = redisUrl;
  // One after the other: the first migrates the database and seeds the editions; the others find them.
  const started = [];
  for (let i = 1; i <= nodes; i++) started.push(await startNode(i, env));
  console.log("");
  console.log(
    `Variorum cluster: ${nodes} node${nodes > 1 ? "s" : ""} over one PostgreSQL${redisUrl ? " and one Redis" : ""}`,
  );
  for (const n of started) console.log(`  ${n.name}  ${n.url}  (pid ${n.pid})`);
  console.log(`  database  ${databaseUrl}`);
  if (redisUrl) console.log(`  redis     ${redisUrl}`);
  console.log(`  files     ${dir}  (page images in ${media})`);
  // Each node that finds no account makes a new one-time link and revokes the one before: the last holds.
  const link = started.findLast((n) => n.link)?.link;
  if (link) console.log(`No account exists yet. Open this one-time link to become the owner:\n  ${link}`);
  console.log("Any node serves any client; `kill -9 <pid>` one to see the others go on. Ctrl-C stops all.");
} catch (error) {
  process.stderr.write(`cluster: ${error.message}\n`);
  await stopAll(1);
}
