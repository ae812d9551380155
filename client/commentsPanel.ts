/**
 * The comments panel: threads on stretches of the text or on apparatus entries; reply, resolve, reopen.
 * A thread whose words were deleted is shown as detached, with the words it was on. The words of open
 * threads are marked in the text; a click on them opens the thread. A reply being written is kept
 * until its author sends or discards it, whatever else changes meanwhile.
 */
import type { Node } from "prosemirror-model";
import { Decoration, DecorationSet } from "prosemirror-view";
import { absolutePositionToRelativePosition, ySyncPluginKey } from "y-prosemirror";
import {
  type CommentTarget,
  createThread,
  encodeRelative,
  newThreadId,
  readRelative,
  readThreads,
  reply,
  setThreadStatus,
  type Thread,
} from "../schema/comments.ts";
import { ROOTS } from "../schema/layout.ts";
import { type MarksSource, marksKey } from "./commentMarks.ts";
import { formatWhen } from "./dates.ts";
import { h } from "./dom.ts";
import { selectRange } from "./markup.ts";
import { type Mapping, PositionReader } from "./relativePositions.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import { WindowedList } from "./windowedList.ts";
import type { Workbench } from "./workbench.ts";

type Filter = "open" | "resolved" | "mine" | "all";

/** How long after the last change of the text the threads are looked up again. */
const AFTER_TYPING_MS = 150;

export function mountCommentsPanel(
  root: HTMLElement,
  wb: Workbench,
): {
  commentOnEntry(app: string): void;
  openThread(id: string): void;
  marks: NonNullable<MarksSource>;
  /** Takes off the panel's observers and listeners. */
  destroy(): void;
} {
  const fragment = wb.ydoc.getXmlFragment(ROOTS.body);
  const mapping = () =>
    (ySyncPluginKey.getState(wb.view.state) as { binding: { mapping: Mapping } }).binding.mapping;
  const message = h("p", { className: "panel-message", role: "status" });
  const draft = h("textarea", {
    rows: 2,
    "aria-label": "New comment",
    placeholder: "Comment on the selected words…",
  });
  const list = h("div", { className: "threads" });
  const empty = h("p", { className: "hint", hidden: true });
  // Threads of any height, only those in view in the page: the side bar is what scrolls.
  const windowed = new WindowedList(list, () => list.closest<HTMLElement>(".side"), 120);
  let pendingEntry: string | null = null;
  /** Replies being written, by thread: kept across re-renders until sent or discarded. */
  const drafts = new Map<string, string>();
  let filter: Filter = "open";
  const filterSelect = h(
    "select",
    {
      "aria-label": "Show comments",
      onchange: () => {
        filter = filterSelect.value as Filter;
        render();
      },
    },
    h("option", { value: "open" }, "Open"),
    h("option", { value: "resolved" }, "Resolved"),
    h("option", { value: "mine" }, "Mine"),
    h("option", { value: "all" }, "All"),
  );

  /** Shows a thread in the panel and puts the focus in its reply box (or on it). */
  const openThread = (id: string) => {
    const thread = readThreads(wb.ydoc).find((t) => t.id === id);
    if (thread && !shown(thread)) {
      filter = "all";
      filterSelect.value = "all";
    }
    wb.showComments();
    render();
    const article = windowed.reveal(id);
    if (!article) return;
    (article.querySelector("textarea") ?? article).focus();
  };
  let markedKey = "";

  const shown = (t: Thread) =>
    filter === "all" ||
    (filter === "mine" ? t.messages.some((m) => m.author === wb.user()) : t.status === filter);

  /** Where a text thread stands now in the editor; null if detached. One reader serves a whole render. */
  const rangeOf = (
    t: Extract<CommentTarget, { kind: "text" }>,
    reader = new PositionReader(wb.ydoc, fragment, mapping()),
  ) => {
    const start = readRelative(t.start);
    const end = readRelative(t.end);
    const from = start && reader.position(start);
    const to = end && reader.position(end);
    return from !== null && to !== null && to > from ? { from, to } : null;
  };

  const start = () => {
    const text = draft.value.trim();
    if (!text) {
      message.textContent = "write the comment first";
      return;
    }
    let target: CommentTarget;
    if (pendingEntry) target = { kind: "entry", app: pendingEntry };
    else {
      const { from, to, empty } = wb.view.state.selection;
      if (empty) {
        message.textContent = "select the words to comment on";
        return;
      }
      const m = mapping();
      const startRel = absolutePositionToRelativePosition(from, fragment, m);
      // The end is the last commented character, taken from its right side (assoc -1): the range ends
      // just after it and collapses when the words are deleted. (Pointing at the character after the
      // range with assoc -1 would take in that character too.)
      const endRel = absolutePositionToRelativePosition(to - 1, fragment, m);
      endRel.assoc = -1;
      target = {
        kind: "text",
        start: encodeRelative(startRel),
        end: encodeRelative(endRel),
        quote: wb.view.state.doc.textBetween(from, to, " "),
      };
    }
    wb.ydoc.transact(() => createThread(wb.ydoc, newThreadId(), target, wb.user(), text), PANEL_ORIGIN);
    draft.value = "";
    pendingEntry = null;
    message.textContent = "";
    render();
  };

  const describe = (t: Thread): HTMLElement => {
    if (t.target.kind === "entry") {
      const app = t.target.app;
      return h(
        "p",
        { className: "target" },
        "On apparatus entry ",
        h("button", { type: "button", className: "small", onclick: () => wb.selectEntry(app) }, app),
      );
    }
    const target = t.target;
    if (!ranges.get(t.id))
      return h("p", { className: "target detached" }, `Detached: the words “${target.quote}” were deleted`);
    return h(
      "p",
      { className: "target" },
      "On “",
      h(
        "button",
        {
          type: "button",
          className: "quote",
          // Where the words are now: the text may have moved since the list was drawn.
          onclick: () => {
            const range = rangeOf(target);
            if (range) selectRange(wb.view, range.from, range.to);
          },
        },
        t.target.quote,
      ),
      "”",
    );
  };

  /** The words of open text threads, where `ranges` has them. */
  const markedRanges = (threads: Thread[]) => {
    const marked: { from: number; to: number; id: string }[] = [];
    for (const t of threads) {
      if (t.status !== "open" || t.target.kind !== "text") continue;
      const range = ranges.get(t.id);
      if (range) marked.push({ ...range, id: t.id });
    }
    return marked;
  };
  const decorate = (doc: Node, marked: { from: number; to: number; id: string }[]) =>
    DecorationSet.create(
      doc,
      marked.map((r) =>
        Decoration.inline(
          r.from,
          r.to,
          { class: "commented", "data-thread": r.id, title: "Commented: click to open the thread" },
          { thread: r.id },
        ),
      ),
    );
  /** Marks the words of open text threads in the editor (only when they changed, to avoid a loop). */
  const markText = (threads: Thread[]) => {
    const marked = markedRanges(threads);
    const key = JSON.stringify(marked);
    if (key === markedKey) return;
    markedKey = key;
    const set = decorate(wb.view.state.doc, marked);
    wb.view.dispatch(wb.view.state.tr.setMeta(marksKey, set).setMeta("addToHistory", false));
  };

  /** Where each text thread stands now (null: detached), computed once per render. */
  let ranges = new Map<string, { from: number; to: number } | null>();
  /** What `ranges` were read for: the text (a new one whenever it changed) and the threads' targets. */
  let rangesOf: { doc: Node; targets: string } | null = null;
  const readRanges = (all: Thread[], doc: Node) => {
    // The render that follows the text's arrival finds the ranges its marks were built with.
    const targets = JSON.stringify(all.map((t) => [t.id, t.target]));
    if (rangesOf?.doc === doc && rangesOf.targets === targets) return;
    rangesOf = { doc, targets };
    ranges = new Map();
    const reader = new PositionReader(wb.ydoc, fragment, mapping());
    for (const t of all) if (t.target.kind === "text") ranges.set(t.id, rangeOf(t.target, reader));
  };
  /**
   * The marks of `doc`, the text as it has just arrived from the document, built inside the transaction
   * that brings it (commentMarks.ts): y-prosemirror has mapped the new text to the Y.Doc by then.
   */
  const marksFor = (doc: Node): DecorationSet => {
    const all = readThreads(wb.ydoc);
    readRanges(all, doc);
    const marked = markedRanges(all);
    markedKey = JSON.stringify(marked);
    return decorate(doc, marked);
  };
  let listKey = "";
  const render = () => {
    const all = readThreads(wb.ydoc);
    readRanges(all, wb.view.state.doc);
    markText(all);
    // The list is drawn only while the panel is in view (it is drawn when shown): a large edition's
    // 2,000 threads were built into the page at every opening, behind a tab seldom open.
    if (root.hidden) {
      listKey = "";
      return;
    }
    const threads = all.filter(shown);
    // The list is rebuilt only when what it shows changed (not when text merely moved), so that
    // thousands of threads are not redrawn for every edit.
    const key = JSON.stringify([
      filter,
      wb.user(),
      [...drafts.keys()],
      threads.map((t) => [t.id, t.status, t.statusBy, t.messages.length, ranges.get(t.id) === null]),
    ]);
    if (key === listKey) return;
    listKey = key;
    const focused = document.activeElement as HTMLElement | null;
    const focusedThread = focused?.closest<HTMLElement>("[data-thread]")?.dataset.thread ?? null;
    const focusedReply = focusedThread !== null && focused?.tagName === "TEXTAREA";
    for (const id of drafts.keys()) if (!all.some((t) => t.id === id)) drafts.delete(id);
    empty.hidden = threads.length > 0;
    empty.textContent = `No ${filter === "all" ? "" : `${filter} `}comments.`;
    // A thread's article is built again only when what it shows changed; a reply being typed stays in
    // the page (kept in `drafts` if its article is built again or scrolled away).
    const build = (t: Thread) => {
      const discard = h(
        "button",
        {
          type: "button",
          className: "small",
          hidden: !drafts.has(t.id),
          onclick: () => {
            // The article stays in the page (it shows nothing else that changed): emptied here.
            drafts.delete(t.id);
            answer.value = "";
            discard.hidden = true;
          },
        },
        "Discard reply",
      );
      const answer = h("textarea", {
        rows: 1,
        "aria-label": `Reply to thread ${t.id}`,
        value: drafts.get(t.id) ?? "",
        oninput: () => {
          if (answer.value) drafts.set(t.id, answer.value);
          else drafts.delete(t.id);
          discard.hidden = !answer.value;
        },
      });
      if (focusedReply && focusedThread === t.id) {
        // Re-rendering replaced the box being typed in: give it back its focus and caret.
        const { selectionStart, selectionEnd } = focused as HTMLTextAreaElement;
        queueMicrotask(() => {
          answer.focus();
          answer.setSelectionRange(selectionStart, selectionEnd);
        });
      }
      const send = () => {
        const text = answer.value.trim();
        if (!text) return;
        drafts.delete(t.id);
        wb.ydoc.transact(() => reply(wb.ydoc, t.id, wb.user(), text), PANEL_ORIGIN);
      };
      return h(
        "article",
        { className: `thread ${t.status}`, "data-thread": t.id },
        describe(t),
        h(
          "ol",
          { className: "messages" },
          ...t.messages.map((m) =>
            h(
              "li",
              {},
              h("strong", {}, m.author ?? "someone"),
              ` ${formatWhen(m.at)}: `,
              h("span", { className: "text" }, m.text),
            ),
          ),
        ),
        h("p", { className: "hint" }, `${t.status}${t.statusBy ? ` (${t.statusBy})` : ""}`),
        wb.canReview
          ? h(
              "div",
              { className: "row" },
              answer,
              h("button", { type: "button", onclick: send }, "Reply"),
              discard,
              h(
                "button",
                {
                  type: "button",
                  onclick: () =>
                    wb.ydoc.transact(
                      () =>
                        setThreadStatus(wb.ydoc, t.id, t.status === "open" ? "resolved" : "open", wb.user()),
                      PANEL_ORIGIN,
                    ),
                },
                t.status === "open" ? "Resolve" : "Reopen",
              ),
            )
          : "",
      );
    };
    windowed.set(
      threads.map((t) => ({
        id: t.id,
        key: JSON.stringify([t.status, t.statusBy, t.messages.length, ranges.get(t.id) === null, wb.user()]),
        build: () => build(t),
      })),
    );
  };

  if (wb.canReview) {
    root.append(
      h("p", { className: "hint" }, "Select words in the text (or open an apparatus entry), then write:"),
      draft,
      h("button", { type: "button", onclick: start }, "Add comment"),
    );
  }
  root.append(h("label", { className: "row" }, "Show ", filterSelect), message, empty, list);
  const onComments = () => wb.schedule(render);
  wb.ydoc.getMap(ROOTS.comments).observeDeep(onComments);
  const tabShown = new MutationObserver(() => !root.hidden && wb.schedule(render));
  tabShown.observe(root, {
    attributes: true,
    attributeFilter: ["hidden"],
  });
  // Edits move commented words (the marks plugin maps them meanwhile); the threads are looked up again
  // once typing pauses, which finds those whose words were deleted.
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const stopFollowing = wb.onDocChange(() => {
    clearTimeout(quiet);
    quiet = setTimeout(() => wb.schedule(render), AFTER_TYPING_MS);
  });
  render();
  return {
    destroy: () => {
      wb.ydoc.getMap(ROOTS.comments).unobserveDeep(onComments);
      tabShown.disconnect();
      stopFollowing();
      clearTimeout(quiet);
      windowed.destroy();
    },
    marks: {
      build: marksFor,
      // Drawn again at the next render, which a change of the text schedules.
      dropped: () => {
        markedKey = "";
      },
    },
    openThread,
    commentOnEntry: (app: string) => {
      pendingEntry = app;
      message.textContent = `Your next comment goes on apparatus entry ${app}.`;
      draft.focus();
    },
  };
}
