/** `npm run bench [-- name]`: runs the benchmarks, each printing its figures against a baseline measured in the same run. */
import { benchCollate } from "./collate.ts";

const benches: Record<string, () => void | Promise<void>> = { collate: benchCollate };
const only = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
