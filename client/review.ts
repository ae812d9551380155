/**
 * The side-by-side review of one witness: the base text and the witness in two aligned columns (one row
 * per paragraph, so they scroll together), the differences highlighted by type, and the keyboard to step
 * through proposed variants and decide: j/k next/previous, a accept, r reject, p back to proposed,
 * t choose the type (then 1–7, Escape to leave it), u undo. A decision here is on this witness's reading
 * only: the entry's other witnesses' readings are decided on their own pages. *Accept all* / *reject
 * all* of a type asks first, with the count, and is one step of its author's undo. Decisions are Yjs
 * changes: every reviewer sees every other's decisions live.
 */
import type { Node } from "prosemirror-model";
import * as Y from "yjs";
import {
  type ApparatusEntry,
  decide,
  type Status,
  VARIANT_TYPE_LABELS,
  VARIANT_TYPES,
  type VariantType,
} from "../schema/apparatus.ts";
import { copyDoc, ROOTS, readMeta } from "../schema/layout.ts";
import { getWitness, listWitnesses } from "../schema/witnesses.ts";
import { nearestItem, toggleAlignmentView } from "./alignmentTable.ts";
import { type ConnectionState, connect } from "./connection.ts";
import { coverageMap } from "./coverageMap.ts";
import { densityStrip, outlineEntry } from "./densityStrip.ts";
import { h } from "./dom.ts";
import { ReviewRows } from "./reviewRow.ts";
import { ReviewSource } from "./reviewSource.ts";
import { frameScheduler } from "./workbench.ts";

// The path is /editions/<edition>/review/<siglum>.
const [, , editionPart, , siglumPart] = location.pathname.split("/");
const editionId = decodeURIComponent(editionPart ?? "");
const siglum = decodeURIComponent(siglumPart ?? "");
const byId = (id: string) => document.getElementById(id) as HTMLElement;

const info = (await (await fetch(`/api/editions/${encodeURIComponent(editionId)}`)).json()) as {
  role: string | null;
  user: string | null;
};
const canDecide = ["owner", "editor", "reviewer"].includes(info.role ?? "");

const ydoc = new Y.Doc();
/** The origin of this page's decisions, so that its undo takes back this reviewer's own, never another's. */
const REVIEW_ORIGIN = { kind: "review" } as const;
const undo = new Y.UndoManager(ydoc.getMap(ROOTS.decisions), {
  trackedOrigins: new Set([REVIEW_ORIGIN]),
  captureTimeout: 0,
});
const status = byId("status");
const provider = connect(ydoc, editionId, (s: ConnectionState) => {
  status.dataset.state = s.kind;
  status.textContent = s.kind === "refused" ? `refused: ${s.reason}` : s.kind;
});

interface Item {
  id: string;
  entry: ApparatusEntry;
  lemma: string;
  /** Where in the text it stands, from 0 (start) to 1 (end): its place on the density strip. */
  at: number;
}

let items: Item[] = [];
let current = 0;
let typeFilter: VariantType | "all" = "all";
const schedule = frameScheduler();

const source = new ReviewSource(ydoc);
const head = h(
  "div",
  { className: "pair head" },
  h("div", { className: "cell" }, ""),
  h("div", { className: "cell" }, siglum),
);
const reviewRows = new ReviewRows();
/** What the coverage map was last drawn from. */
let drawnCoverage = "";
/** The density strip as last drawn: from which state of the document, with how many marks. */
let drawnStrip: { version: number; count: number; svg: SVGSVGElement } | null = null;

const columns = byId("columns");
// The two columns scroll on their own: keyboard users must be able to reach and scroll them.
columns.tabIndex = 0;
const currentBox = byId("current");
const progress = byId("progress");

/** This witness's reading's status in an entry (what this page shows and decides). */
const statusOf = (e: ApparatusEntry): Status => e.decisions[siglum]?.status ?? "proposed";

function decideCurrent(d: { status?: Status; type?: VariantType }): void {
  const item = items[current];
  if (!item || !canDecide) return;
  ydoc.transact(() => decide(ydoc, item.id, { ...d, sigla: [siglum] }, info.user), REVIEW_ORIGIN);
}

const confirmBox = byId("confirm") as HTMLDialogElement;

/** Accepts or rejects every proposed reading of the chosen type, after saying how many; one undo step. */
function decideAll(statusValue: Status): void {
  if (!canDecide || confirmBox.open) return;
  const targets = items.filter(
    (i) => statusOf(i.entry) === "proposed" && (typeFilter === "all" || i.entry.type === typeFilter),
  );
  const what = typeFilter === "all" ? "" : ` ${VARIANT_TYPE_LABELS[typeFilter]}`;
  const verb = statusValue === "accepted" ? "Accept" : "Reject";
  if (targets.length === 0) {
    currentBox.prepend(
      h(
        "p",
        { className: "hint", role: "status" },
        `No proposed${what} readings of ${siglum} to ${verb.toLowerCase()}.`,
      ),
    );
    return;
  }
  const yes = h("button", { type: "button", value: "yes" }, `${verb} ${targets.length}`);
  const no = h("button", { type: "button", value: "no" }, "Cancel");
  confirmBox.replaceChildren(
    h(
      "p",
      {},
      `${verb} all ${targets.length} proposed${what} readings of ${siglum}? One undo (u) takes it back.`,
    ),
    h("div", { className: "actions" }, yes, no),
  );
  yes.addEventListener("click", () => {
    confirmBox.close();
    undo.stopCapturing();
    ydoc.transact(() => {
      for (const t of targets) decide(ydoc, t.id, { status: statusValue, sigla: [siglum] }, info.user);
    }, REVIEW_ORIGIN);
    undo.stopCapturing();
  });
  no.addEventListener("click", () => confirmBox.close());
  confirmBox.showModal();
  no.focus();
}

function undoLast(): void {
  undo.undo();
}

function move(step: number): void {
  if (items.length === 0) return;
  current = (current + step + items.length) % items.length;
  render();
  columns.querySelector(`[data-app="${items[current]?.id}"]`)?.scrollIntoView({ block: "center" });
}

const typeSelect = h(
  "select",
  {
    "aria-label": "Type to accept or reject all of",
    onchange: () => {
      typeFilter = typeSelect.value as VariantType | "all";
      render();
    },
  },
  h("option", { value: "all" }, "all types"),
  ...VARIANT_TYPES.map((t) => h("option", { value: t }, VARIANT_TYPE_LABELS[t])),
);
const button = (label: string, title: string, run: () => void, key: string) =>
  h(
    "button",
    {
      type: "button",
      title: `${title} (${key})`,
      "aria-label": title,
      disabled: !canDecide && key !== "j" && key !== "k",
      onclick: run,
    },
    label,
  );
byId("controls").append(
  button("◀ previous", "Previous variant", () => move(-1), "k"),
  button("next ▶", "Next variant", () => move(1), "j"),
  button("accept", "Accept this variant", () => decideCurrent({ status: "accepted" }), "a"),
  button("reject", "Reject this variant", () => decideCurrent({ status: "rejected" }), "r"),
  button("type…", "Choose the type of this variant", () => openTypeChoice(), "t"),
  button("undo", "Undo your last decision here", () => undoLast(), "u"),
  typeSelect,
  button("accept all", "Accept all proposed variants of the chosen type", () => decideAll("accepted"), "A"),
  button("reject all", "Reject all proposed variants of the chosen type", () => decideAll("rejected"), "R"),
  h(
    "button",
    {
      type: "button",
      "aria-expanded": "false",
      onclick: (e: Event) => toggleAlignment(e.currentTarget as HTMLElement),
    },
    "alignment table",
  ),
);

const alignment = byId("alignment");
function toggleAlignment(toggle: HTMLElement): void {
  void toggleAlignmentView(alignment, toggle, editionId, copyDoc(ydoc), (at, text) => {
    const best = nearestItem(items, at, text);
    if (best < 0) return;
    current = best;
    render();
    columns.querySelector(`[data-app="${items[best]?.id}"]`)?.scrollIntoView({ block: "center" });
  });
}

const typeChoice = byId("type-choice");
let choosingType = false;

/** Opens the type choice: keys 1–7 (or a click) record one type, once; Escape closes it. */
function openTypeChoice(): void {
  const item = items[current];
  if (!item || !canDecide) return;
  choosingType = true;
  typeChoice.hidden = false;
  typeChoice.replaceChildren(
    h("p", {}, "Type of this variant: press 1–7, or Escape"),
    h(
      "ol",
      {},
      ...VARIANT_TYPES.map((t, i) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              "aria-pressed": t === item.entry.type ? "true" : "false",
              onclick: () => chooseType(t),
            },
            `${i + 1} ${VARIANT_TYPE_LABELS[t]}`,
          ),
        ),
      ),
    ),
  );
}

function closeTypeChoice(): void {
  choosingType = false;
  typeChoice.hidden = true;
  typeChoice.replaceChildren();
}

function chooseType(type: VariantType): void {
  closeTypeChoice();
  decideCurrent({ type });
}

document.addEventListener("keydown", (e) => {
  if (
    e.target instanceof HTMLInputElement ||
    e.target instanceof HTMLSelectElement ||
    e.ctrlKey ||
    e.metaKey ||
    e.altKey
  )
    return;
  if (confirmBox.open) return;
  if (choosingType) {
    e.preventDefault();
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= VARIANT_TYPES.length)
      chooseType(VARIANT_TYPES[n - 1] as VariantType);
    else if (e.key === "Escape" || e.key === "t") closeTypeChoice();
    return;
  }
  const actions: Record<string, () => void> = {
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    a: () => decideCurrent({ status: "accepted" }),
    r: () => decideCurrent({ status: "rejected" }),
    p: () => decideCurrent({ status: "proposed" }),
    t: openTypeChoice,
    u: undoLast,
    A: () => decideAll("accepted"),
    R: () => decideAll("rejected"),
  };
  const run = actions[e.key];
  if (run) {
    e.preventDefault();
    run();
  }
});

function render(): void {
  const doc = source.doc();
  const witness = getWitness(ydoc, siglum);
  const base = readMeta(ydoc).baseWitness;
  byId("title").textContent = `Review: ${siglum} against ${base}${witness ? ` — ${witness.title}` : ""}`;
  const entries = new Map<string, ApparatusEntry>();
  items = [];
  for (const p of source.placements()) {
    const e = source.entry(p.id);
    if (e && siglum in e.readings) {
      entries.set(p.id, e);
      items.push({ id: p.id, entry: e, lemma: p.lemma, at: p.from / Math.max(1, doc.content.size) });
    }
  }
  current = Math.min(current, Math.max(0, items.length - 1));
  const reviewed = items.filter((i) => statusOf(i.entry) !== "proposed").length;
  progress.textContent = `reviewed ${reviewed} of ${items.length}`;
  const coveredBlocks = new Set(witness?.coveredBlocks ?? []);
  const full = witness?.coverage === "full";
  const currentId = items[current]?.id ?? null;
  (head.firstElementChild as HTMLElement).textContent = base;
  const rows: HTMLElement[] = [head];
  const walk = (node: Node) => {
    node.forEach((child) => {
      if (child.type.name === "block_note") return;
      if (child.isTextblock)
        rows.push(
          reviewRows.row(child, entries, siglum, currentId, full || coveredBlocks.has(child.attrs.id)),
        );
      else walk(child);
    });
  };
  walk(doc);
  reviewRows.place(columns, rows);
  // The coverage map changes with the text, the entries and the witnesses, not with the current entry.
  const coverageKey = `${source.textVersion} ${JSON.stringify(listWitnesses(ydoc))}`;
  if (coverageKey !== drawnCoverage) {
    drawnCoverage = coverageKey;
    const blockIds = rows.map((r) => r.dataset.block ?? "").filter(Boolean);
    byId("coverage").replaceChildren(
      coverageMap(
        listWitnesses(ydoc)
          .filter((w) => w.hasText && w.siglum !== base)
          .map((w) => ({ ...w, readingBlocks: readingBlocks(w.siglum) })),
        blockIds,
        (id) => columns.querySelector(`[data-block="${id}"]`)?.scrollIntoView({ block: "start" }),
      ),
    );
  }
  // Drawn again when what it shows changed; a step to another entry only moves its outline.
  if (drawnStrip?.version === source.typeVersion && drawnStrip.count === items.length)
    outlineEntry(drawnStrip.svg, currentId);
  else {
    const svg = densityStrip(siglum, items, current, (i) => {
      current = i;
      render();
      columns.querySelector(`[data-app="${items[i]?.id}"]`)?.scrollIntoView({ block: "center" });
    });
    byId("density").replaceChildren(svg);
    drawnStrip = { version: source.typeVersion, count: items.length, svg };
  }
  const item = items[current];
  currentBox.replaceChildren(
    item
      ? h(
          "p",
          {},
          h("strong", {}, `${current + 1} / ${items.length}: `),
          `${item.lemma || "^"}] ${item.entry.readings[siglum]?.kind === "om" ? "om." : item.entry.readings[siglum]?.text} ${siglum} — `,
          h(
            "span",
            { className: `badge ${statusOf(item.entry)}`, "data-role": "reading-status" },
            statusOf(item.entry),
          ),
          h("span", { className: "badge", "data-role": "type" }, VARIANT_TYPE_LABELS[item.entry.type]),
          decidedLine(item.entry),
          item.entry.note
            ? h("span", { className: "hint", "data-role": "note" }, ` — ${item.entry.note}`)
            : "",
          Object.keys(item.entry.readings).length > 1
            ? h(
                "span",
                { className: "hint" },
                ` — the entry (${Object.keys(item.entry.readings).sort().join(", ")}): ${item.entry.status}`,
              )
            : "",
        )
      : h("p", {}, `No variants of ${siglum} to review: collate it from the Witnesses panel.`),
  );
}

/** The blocks where an entry gives a witness a reading: on the coverage map, covered in part at least. */
function readingBlocks(s: string): string[] {
  return source
    .placements()
    .flatMap((p) => (p.blockId && s in (source.entry(p.id)?.readings ?? {}) ? [p.blockId] : []));
}

function decidedLine(e: ApparatusEntry): string {
  const d = e.decisions[siglum];
  if (!d?.by) return "";
  return ` decided by ${d.by}${d.at ? ` at ${new Date(d.at).toLocaleString()}` : ""}`;
}

// After each change (not on "update": Yjs would encode every transaction for it, the sync answer too).
ydoc.on("afterTransaction", (tr: Y.Transaction) => {
  if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) schedule(render);
});
Object.assign(window, { variorum: { ydoc, provider } });
