// Builds the server ahead of time into dist/server/main.mjs, so `npm start` runs plain Node instead of
// transpiling the TypeScript at every start (the large-edition issue measured tsx's start at 2.6× a bare
// server's). Packages are bundled too: resolving and reading hundreds of small module files was most of
// what was left of the start. Those that cannot be are left in node_modules: native addons, and
// playwright-core and citation-js (through sync-fetch), which find their own files next to their modules.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const EXTERNAL = ["better-sqlite3", "argon2", "playwright-core", "pg-native", "@citation-js/*", "sync-fetch"];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist/server");
const outfile = join(outdir, "main.mjs");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: join(root, "server/main.ts") },
  // What only some servers use (PostgreSQL's and Redis's clients) is a chunk of its own, imported when
  // configured: the embedded default does not compile it at every start.
  splitting: true,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
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
  outdir,
  logLevel: "warning",
});
console.log(`built the server into ${outfile}`);
