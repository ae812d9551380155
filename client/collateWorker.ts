/**
 * The alignment table's collation in a worker (`collateOffPage.ts` starts it): every witness against
 * the base at once takes about a second on a large edition, which the page would spend frozen. Built
 * as `/assets/collate-worker.js`.
 */
import { collateAll } from "../schema/collate.ts";
import type { CollateRequest, CollateResponse } from "./collateOffPage.ts";

addEventListener("message", (event: MessageEvent<CollateRequest>) => {
  const { baseSiglum, base, witnesses, partial } = event.data;
  let response: CollateResponse;
  try {
    response = { ok: true, table: collateAll(baseSiglum, base, witnesses, { partial }) };
  } catch (error) {
    response = { ok: false, error: (error as Error).message };
  }
  postMessage(response);
});
