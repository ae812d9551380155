/**
 * The history's sessions, as the panel shows them: who, when, how many changes, and what they did —
 * words added and removed per paragraph (a click selects them in the text), entries, glossary entries,
 * decisions and threads (a click opens them); filtered by person and by kind of change.
 */
import type { BlockChange, ChangeSummary } from "../schema/changeSummary.ts";
import type { ChangeKind, HistorySession } from "../schema/historySessions.ts";
import { formatWhen } from "./dates.ts";
import { h } from "./dom.ts";
import { goToBlock } from "./goTo.ts";
import type { Workbench } from "./workbench.ts";

/** A paragraph's change, with where the paragraph is now (null: deleted since). */
type Block = BlockChange & { where: string | null };

/** A session as `GET /api/editions/<id>/history` gives it: the schema's, its blocks located. */
export type Session = Omit<HistorySession, "summary"> & {
  summary: Omit<ChangeSummary, "blocks"> & { blocks: Block[] };
};

export const KINDS: [ChangeKind, string][] = [
  ["text", "text"],
  ["apparatus", "apparatus entries"],
  ["glossary", "glossary"],
  ["decisions", "decisions"],
  ["comments", "comments"],
  ["witnesses", "witnesses"],
  ["bibliography", "bibliography"],
  ["edition", "edition settings"],
];

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);

function time(s: Session): string {
  const from = formatWhen(s.from);
  const to = formatWhen(s.to);
  // Same day: the second time only.
  return from === to
    ? from
    : from.slice(0, 10) === to.slice(0, 10)
      ? `${from}–${to.slice(11)}`
      : `${from} – ${to}`;
}

/** One session as a list item. */
export function sessionItem(s: Session, wb: Workbench): HTMLElement {
  const link = (label: string, go: () => void) =>
    h("button", { type: "button", className: "link", onclick: go }, label);
  const lines: (HTMLElement | string)[] = [];
  for (const b of s.summary.blocks) {
    const where = b.where ?? `a block since deleted (${b.id || "no id"})`;
    lines.push(
      h(
        "li",
        {},
        b.where
          ? link(`${where}${b.inNote ? ", in a footnote" : ""}`, () =>
              goToBlock(wb.view, b.id, b.added.trim()),
            )
          : where,
        ": ",
        b.added ? h("ins", {}, clip(b.added)) : "",
        b.added && b.removed ? " " : "",
        b.removed ? h("del", {}, clip(b.removed)) : "",
        b.formatted ? ` (${b.formatted} mark${b.formatted === 1 ? "" : "s"} set or removed)` : "",
      ),
    );
  }
  const { summary: m } = s;
  if (m.blocksAdded || m.blocksRemoved)
    lines.push(
      h(
        "li",
        {},
        `${m.blocksAdded} block${m.blocksAdded === 1 ? "" : "s"} added, ${m.blocksRemoved} removed`,
      ),
    );
  const ids = (label: string, list: string[], open: (id: string) => void) => {
    if (!list.length) return;
    lines.push(
      h(
        "li",
        {},
        `${label}: `,
        ...list.slice(0, 8).flatMap((id, i) => [i ? ", " : "", link(id, () => open(id))]),
        list.length > 8 ? ` and ${list.length - 8} more` : "",
      ),
    );
  };
  ids("apparatus entries", m.apparatus, (id) => wb.selectEntry(id));
  // A decision's key is "<entry>/<siglum>" (or the entry alone for a type): it opens the entry.
  ids("decisions", m.decisions, (id) => wb.selectEntry(id.split("/")[0] as string));
  ids("glossary", m.glossary, (id) => wb.selectGlossary(id));
  ids("comments", m.comments, (id) => wb.openThread(id));
  if (m.witnesses.length) lines.push(h("li", {}, `witnesses: ${m.witnesses.join(", ")}`));
  if (m.bibliography?.length) lines.push(h("li", {}, `bibliography: ${m.bibliography.join(", ")}`));
  if (m.meta) lines.push(h("li", {}, "the edition's title, provenance or settings"));
  if (s.undescribed)
    lines.push(
      h("li", {}, `${s.undescribed} change${s.undescribed === 1 ? "" : "s"} from before summaries were kept`),
    );
  return h(
    "li",
    { className: "session" },
    h(
      "div",
      {},
      h("strong", {}, s.user ?? "the server"),
      ` · ${time(s)} · ${s.changes} change${s.changes === 1 ? "" : "s"}`,
    ),
    h("ul", { className: "session-lines" }, ...lines),
  );
}
