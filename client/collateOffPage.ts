/**
 * Collates every witness with the base into an alignment table (schema/collate.ts, `collateAll`) in a
 * worker (`collateWorker.ts`), so that the page answers while it works. A failure of the worker itself
 * (it could not be loaded) is an error that names it; the caller shows it.
 */
import type { AlignmentTable } from "../schema/collate.ts";

export interface CollateRequest {
  baseSiglum: string;
  base: string;
  witnesses: Record<string, string>;
  partial: string[];
}

export type CollateResponse = { ok: true; table: AlignmentTable } | { ok: false; error: string };

/** Where the build puts the worker (scripts/build-client.mjs). */
const WORKER_URL = "/assets/collate-worker.js";

export function collateOffPage(request: CollateRequest): Promise<AlignmentTable> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { type: "module" });
    worker.addEventListener("message", (event: MessageEvent<CollateResponse>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.table);
      else reject(new Error(`the collation failed: ${event.data.error}`));
    });
    worker.addEventListener("error", (event) => {
      worker.terminate();
      reject(
        new Error(
          `the collation worker (${WORKER_URL}) failed: ${event.message || "it could not be loaded"}`,
        ),
      );
    });
    worker.postMessage(request);
  });
}
