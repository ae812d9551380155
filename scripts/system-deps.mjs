// The Debian packages the tests and exports need beyond Node.js, checked before `npm test` runs anything.
// As root, what is missing is installed with apt-get; otherwise this stops at once and prints the one
// command to run. Add a package here when a test starts needing a new system program.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

/** What each package provides, and how to tell it is there without running anything slow. */
const NEEDS = [
  {
    pkg: "chromium",
    why: "browser tests and the PDF export",
    present: () => existsSync("/usr/bin/chromium"),
  },
  { pkg: "jing", why: "validating TEI against tei_all", present: () => onPath("jing") },
  {
    pkg: "poppler-utils",
    why: "pdftotext, to read the PDF's text layer",
    present: () => onPath("pdftotext"),
  },
  { pkg: "tesseract-ocr", why: "OCR drafts of page images", present: () => onPath("tesseract") },
  { pkg: "tesseract-ocr-eng", why: "OCR of English pages", present: () => hasOcrLanguage("eng") },
  { pkg: "tesseract-ocr-rus", why: "OCR of Russian pages", present: () => hasOcrLanguage("rus") },
  {
    pkg: "imagemagick",
    why: "cleaning page images before OCR (deskew, denoise, binarise)",
    // `convert -version`, not the name on PATH: a stand-in of that name may sit in front of the real one.
    present: () => /ImageMagick/.test(run("convert", ["-version"]).stdout ?? ""),
  },
  { pkg: "texlive-xetex", why: "compiling the LaTeX export", present: () => onPath("xelatex"), tex: true },
  {
    pkg: "texlive-humanities",
    why: "reledmac, for the LaTeX export",
    present: () => onPath("kpsewhich") && run("kpsewhich", ["reledmac.sty"]).status === 0,
    tex: true,
  },
  {
    pkg: "fonts-dejavu-core",
    why: "the print edition's font",
    present: () => existsSync("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    tex: true,
  },
  {
    pkg: "postgresql",
    why: "the PostgreSQL store's tests (a server started in a temporary folder)",
    present: () => postgresInstalled(),
  },
  {
    pkg: "redis-server",
    why: "the cluster's Redis bus and shared rate limits' tests (a server started in a temporary folder)",
    present: () => existsSync("/usr/bin/redis-server"),
  },
];

function postgresInstalled() {
  const root = "/usr/lib/postgresql";
  return existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/postgres`));
}

function run(cmd, args, inherit = false) {
  return spawnSync(cmd, args, { stdio: inherit ? "inherit" : "pipe", encoding: "utf8" });
}
function onPath(cmd) {
  return run("sh", ["-c", `command -v ${cmd}`]).status === 0;
}
function hasOcrLanguage(lang) {
  return onPath("tesseract") && run("tesseract", ["--list-langs"]).stdout.split("\n").includes(lang);
}

const missing = NEEDS.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);

// TeX Live's recommended packages are gigabytes of documentation: install those without recommends.
const plain = missing.filter((n) => !n.tex).map((n) => n.pkg);
const tex = missing.filter((n) => n.tex).map((n) => n.pkg);
const commands = [
  ...(plain.length ? [`apt-get install -y ${plain.join(" ")}`] : []),
  ...(tex.length ? [`apt-get install -y --no-install-recommends ${tex.join(" ")}`] : []),
];
const list = missing.map((n) => `  ${n.pkg} (${n.why})`).join("\n");

if (process.getuid?.() !== 0) {
  console.error(
    `The tests need Debian packages this machine lacks:\n${list}\nRun, as root:\n  apt-get update && ${commands.join(" && ")}\nthen npm test again.`,
  );
  process.exit(1);
}

console.log(`installing what the tests need:\n${list}`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ...commands.map((c) => c.split(" ").slice(1))]) {
  const r = spawnSync("apt-get", args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(
      `apt-get ${args.join(" ")} failed (exit ${r.status}); the tests cannot run without:\n${list}`,
    );
    process.exit(1);
  }
}
const still = NEEDS.filter((n) => !n.present());
if (still.length) {
  console.error(`still missing after apt-get: ${still.map((n) => n.pkg).join(", ")}`);
  process.exit(1);
}
