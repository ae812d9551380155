// Builds the server ahead of time into dist/server/main.mjs, so `npm start` runs plain Node instead of
// transpiling the TypeScript at every start (the large-edition issue measured tsx's start at 2.6× a bare
// server's). Packages stay in node_modules (native ones, better-sqlite3 and argon2, cannot be bundled).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist/server/main.mjs");
await build({
  entryPoints: [join(root, "server/main.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  outfile,
  logLevel: "warning",
});
console.log(`built the server into ${outfile}`);
