import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.ts";

const script = join(ROOT, "scripts/system-deps.mjs");

describe("npm test's check of the system", () => {
  it("passes at once on a machine that has every package", () => {
    const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)(
    "without root, stops and names the one command to run for what is missing",
    () => {
      // A PATH holding only node and sh: jing, xelatex and pdftotext all look missing.
      const bin = mkdtempSync(join(tmpdir(), "variorum-path-"));
      try {
        chmodSync(bin, 0o755); // the unprivileged user must be able to enter it
        symlinkSync(process.execPath, join(bin, "node"));
        symlinkSync("/bin/sh", join(bin, "sh"));
        // A clone may sit in a folder only root can read: run a copy the unprivileged user can reach.
        copyFileSync(script, join(bin, "system-deps.mjs"));
        const run = spawnSync(join(bin, "node"), [join(bin, "system-deps.mjs")], {
          encoding: "utf8",
          uid: 65534,
          gid: 65534,
          env: { PATH: bin },
          timeout: 5000,
        });
        expect(run.error).toBeUndefined();
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(/jing \(validating TEI/);
        expect(run.stderr).toMatch(/apt-get update && apt-get install -y jing poppler-utils/);
        expect(run.stderr).toMatch(/--no-install-recommends texlive-xetex texlive-humanities/);
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    },
  );
});
