// Builds the browser client into dist/client: one bundle, its stylesheet and its page.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/client");
// Chunks are named by their hash. Those of the build before stay, for pages opened before it that load
// one on demand (the scan viewer, the BibTeX importer); older ones are removed, or they would pile up.
const record = join(out, ".builds.json");
let previous = [];
try {
  previous = JSON.parse(readFileSync(record, "utf8")).current ?? [];
} catch {
  // no build before this one
}
mkdirSync(out, { recursive: true });
const app = await build({
  metafile: true,
  entryPoints: {
    main: join(root, "client/main.ts"),
    review: join(root, "client/review.ts"),
    // The server-rendered pages' scripts (server/pages.ts, server/http/*Page.ts).
    start: join(root, "client/start.ts"),
    settings: join(root, "client/settings.ts"),
    members: join(root, "client/members.ts"),
    account: join(root, "client/account.ts"),
    // The alignment table's collation, off the page (client/collateOffPage.ts).
    "collate-worker": join(root, "client/collateWorker.ts"),
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
// Recorded at once: should the next build fail, these are still the files of the last one.
writeFileSync(record, JSON.stringify({ current: Object.keys(app.metafile.outputs).map((p) => basename(p)) }));
// The reading edition's search (client/readerSearch.ts): one classic script with MiniSearch in it, since
// an exported edition opened from disk (file://) cannot load modules.
const search = await build({
  metafile: true,
  entryPoints: { "reader-search": join(root, "client/readerSearch.ts") },
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  outdir: out,
  logLevel: "warning",
});
const pages = ["index.html", "review.html", "style.css"];
copyFileSync(join(root, "client", "style.css"), join(out, "style.css"));
// Each page names the chunks its script imports, so that the browser fetches them with the script
// rather than after reading it.
for (const [page, script] of [
  ["index.html", "main.js"],
  ["review.html", "review.js"],
]) {
  const output = Object.entries(app.metafile.outputs).find(([path]) => basename(path) === script)?.[1];
  const chunks = (output?.imports ?? [])
    .filter((i) => i.kind === "import-statement")
    .map((i) => `    <link rel="modulepreload" href="/assets/${basename(i.path)}" />\n`);
  const html = readFileSync(join(root, "client", page), "utf8");
  const at = html.indexOf(`    <script type="module" src="/assets/${script}">`);
  if (at < 0) throw new Error(`client/${page} does not load /assets/${script} as the build expects`);
  writeFileSync(join(out, page), html.slice(0, at) + chunks.join("") + html.slice(at));
}
const current = [
  ...pages,
  ...[app, search].flatMap((result) => Object.keys(result.metafile.outputs).map((path) => basename(path))),
];
writeFileSync(record, JSON.stringify({ current }));
const kept = new Set([...current, ...previous, basename(record)]);
for (const file of readdirSync(out))
  if (!kept.has(file)) rmSync(join(out, file), { recursive: true, force: true });
console.log(`built the client into ${out}`);
