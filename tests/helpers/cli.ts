import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./paths.ts";

/** Runs `npx variorum …` for real, in a process of its own, over the data folder given. */
export function runVariorum(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "bin/variorum.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, VARIORUM_DATA: dataDir },
  });
}
