/**
 * Running the programs OCR needs (ImageMagick's `convert`, `tesseract`) as child processes: arguments
 * as a list (never a shell), a time limit, the output collected; a failure says which program, which
 * Debian package provides it when it is missing, and what it printed.
 */
import { spawn } from "node:child_process";

/** The Debian package of each program, for the message when it is not installed. */
const PACKAGE: Record<string, string> = { convert: "imagemagick", tesseract: "tesseract-ocr" };

export interface ProgramRun {
  stdout: Buffer;
  stderr: string;
}

export function runProgram(cmd: string, args: string[], timeoutMs = 120_000): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ["ignore", "pipe", "pipe"],
      // One thread: the machine's cores serve the editors' connections too (see jobs.ts).
      env: { ...process.env, OMP_THREAD_LIMIT: "1", MAGICK_THREAD_LIMIT: "1" },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new Error(
          e.code === "ENOENT"
            ? `${cmd} is not installed (Debian package ${PACKAGE[cmd] ?? cmd})`
            : `${cmd} could not be started: ${e.message}`,
        ),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else
        reject(
          new Error(
            signal === "SIGKILL"
              ? `${cmd} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`
              : `${cmd} failed (exit ${code}): ${stderr.split("\n").slice(-3).join(" ") || "no message"}`,
          ),
        );
    });
  });
}
