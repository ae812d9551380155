// Builds the browser client into dist/client: one bundle, its stylesheet and its page.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/client");
// Emptied first: chunks are named by their hash, and those of earlier builds would pile up.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: {
    main: join(root, "client/main.ts"),
    review: join(root, "client/review.ts"),
    // The server-rendered pages' scripts (server/pages.ts, server/http/*Page.ts).
    start: join(root, "client/start.ts"),
    settings: join(root, "client/settings.ts"),
    members: join(root, "client/members.ts"),
    account: join(root, "client/account.ts"),
  },
  bundle: true,
  format: "esm",
  // Chunks for what is imported on demand (the scan viewer) and what the pages share.
  splitting: true,
  target: "es2022",
  sourcemap: true,
  minify: true,
  outdir: out,
  logLevel: "warning",
});
// The reading edition's search (client/readerSearch.ts): one classic script with MiniSearch in it, since
// an exported edition opened from disk (file://) cannot load modules.
await build({
  entryPoints: { "reader-search": join(root, "client/readerSearch.ts") },
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  outdir: out,
  logLevel: "warning",
});
for (const file of ["index.html", "review.html", "style.css"])
  copyFileSync(join(root, "client", file), join(out, file));
console.log(`built the client into ${out}`);
