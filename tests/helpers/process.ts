import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { AccountStore, Role } from "../../server/accountStore.ts";
import { openSqliteStore } from "../../server/store.ts";
import { ROOT } from "./paths.ts";

/** `npm start`'s server as a separate process: the bundle `npm run build` wrote (as `npm test` runs it first). */
export async function spawnServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; port: number; stdout: string }> {
  const child = spawn(process.execPath, [join(ROOT, "dist/server/main.mjs")], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", VARIORUM_DATA: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d) => {
    err += String(d);
  });
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 30_000);
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // Give the claim line (printed right after) a moment to arrive.
        setTimeout(() => resolve(m[1] as string), 50);
      } else setTimeout(check, 20);
    };
    check();
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${err}`)));
  });
  return { child, url, port: Number(new URL(url).port), stdout: out };
}

/** Adds a person with a role through the store, as `npx variorum user add` does, while the server runs. */
export function addUser(dataDir: string, name: string, role: Role, edition = "manifesto"): string {
  const store = openSqliteStore(dataDir);
  try {
    return addUserToken(store.accounts, name, role, edition);
  } finally {
    store.close();
  }
}

/** Finds or adds a person, gives them a role and returns a new API token, synchronously on SQLite. */
export function addUserToken(
  accounts: AccountStore,
  name: string,
  role: Role,
  edition = "manifesto",
): string {
  const user = accounts.getUserByName(name) ?? accounts.createUser(name, null, false);
  accounts.setRole(user.id, edition, role);
  return accounts.createToken({
    kind: "api",
    userId: user.id,
    editionId: null,
    role: null,
    label: `token for ${name}`,
    expiresAt: null,
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}
