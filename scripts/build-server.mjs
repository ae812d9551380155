// Builds the server ahead of time into dist/server/main.mjs, so `npm start` runs plain Node instead of
// transpiling the TypeScript at every start (the large-edition issue measured tsx's start at 2.6× a bare
// server's). Packages are bundled too: resolving and reading hundreds of small module files was most of
// what was left of the start. Those that cannot be are left in node_modules: native addons, and
// playwright-core and citation-js (through sync-fetch), which find their own files next to their modules.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const EXTERNAL = ["better-sqlite3", "argon2", "playwright-core", "pg-native", "@citation-js/*", "sync-fetch"];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist/server/main.mjs");
await build({
  entryPoints: [join(root, "server/main.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: EXTERNAL,
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __variorumRequire } from 'node:module'; const require = __variorumRequire(import.meta.url);",
  },
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  outfile,
  logLevel: "warning",
});
console.log(`built the server into ${outfile}`);
