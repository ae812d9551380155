import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./postgres.ts";

const REDIS_SERVER = "/usr/bin/redis-server";

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Shuts the server down and removes its folder. */
  stop(): Promise<void>;
  /** `kill -9`: the server is gone at once, with everything it held (nothing is saved). */
  kill(): Promise<void>;
  /** Starts the server again on the same port (killing it first if it still runs), empty, as a restarted Redis without persistence is. */
  restart(): Promise<void>;
}

/** Whether something answers PING with PONG on the port. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      reply += String(d);
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * A real redis-server (Debian's) on a free loopback port, in a temporary folder, saving nothing
 * (`--save "" --appendonly no`), so a restart comes back empty. It is killed when the test process exits.
 */
export async function startRedis(): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `redis-server is not installed (${REDIS_SERVER} is missing): apt-get install -y redis-server`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "variorum-redis-"));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);

  const launch = async () => {
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--protected-mode",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--loglevel",
      "warning",
    ];
    const c = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    let log = "";
    c.stdout?.on("data", (d) => {
      log += String(d);
    });
    c.stderr?.on("data", (d) => {
      log += String(d);
    });
    for (let i = 0; ; i++) {
      if (await pong(port)) return;
      if (c.exitCode !== null || i > 200) {
        c.kill("SIGKILL");
        throw new Error(`redis-server did not start on port ${port}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const kill = async () => {
    const c = child;
    if (!c) return;
    c.kill("SIGKILL");
    await exited(c);
    child = null;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      const c = child;
      if (c) {
        c.kill("SIGTERM");
        await exited(c);
        child = null;
      }
      process.removeListener("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
