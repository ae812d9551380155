/** `npm run bench [-- name]`: runs the benchmarks, each printing its figures against a baseline measured in the same run. */
import { benchCollate } from "./collate.ts";
import { benchFanout } from "./fanout.ts";
import { benchLarge } from "./large.ts";
import { benchOcr } from "./ocr.ts";
import { benchReadingSearch } from "./readingSearch.ts";
import { benchScans } from "./scans.ts";
import { benchSearch } from "./search.ts";

const benches: Record<string, () => void | Promise<void>> = {
  collate: benchCollate,
  fanout: benchFanout,
  large: benchLarge,
  ocr: benchOcr,
  search: benchSearch,
  "reading-search": benchReadingSearch,
  scans: benchScans,
};
// Every y-websocket provider in Node adds a process "exit" listener; the fan-out bench makes hundreds.
process.setMaxListeners(0);
const only = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
// What still holds the event loop once every benchmark has printed (a browser's pipe, a client's timer):
// named, so that it can be found, and not left to keep `npm run bench` from returning.
const left = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap");
if (left.length > 0) console.error(`still open after the benchmarks: ${left.join(", ")}`);
process.exit(0);
