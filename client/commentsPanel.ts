/**
 * The comments panel: threads on stretches of the text or on apparatus entries; reply, resolve, reopen.
 * A thread whose words were deleted is shown as detached, with the words it was on.
 */
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from "y-prosemirror";
import {
  type CommentTarget,
  createThread,
  decodeRelative,
  encodeRelative,
  newThreadId,
  readThreads,
  reply,
  setThreadStatus,
  type Thread,
} from "../schema/comments.ts";
import { ROOTS } from "../schema/layout.ts";
import { h } from "./dom.ts";
import { selectRange } from "./markup.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";

type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

export function mountCommentsPanel(root: HTMLElement, wb: Workbench): { commentOnEntry(app: string): void } {
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
  let pendingEntry: string | null = null;

  /** Where a text thread stands now in the editor; null if detached. */
  const rangeOf = (t: Extract<CommentTarget, { kind: "text" }>) => {
    const m = mapping();
    const from = relativePositionToAbsolutePosition(wb.ydoc, fragment, decodeRelative(t.start), m);
    const to = relativePositionToAbsolutePosition(wb.ydoc, fragment, decodeRelative(t.end), m);
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
      const endRel = absolutePositionToRelativePosition(to, fragment, m);
      // The end sticks to the last commented character, so the range collapses when the words are deleted.
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
    const range = rangeOf(t.target);
    if (!range)
      return h("p", { className: "target detached" }, `Detached: the words “${t.target.quote}” were deleted`);
    return h(
      "p",
      { className: "target" },
      "On “",
      h(
        "button",
        { type: "button", className: "quote", onclick: () => selectRange(wb.view, range.from, range.to) },
        t.target.quote,
      ),
      "”",
    );
  };

  const render = () => {
    const threads = readThreads(wb.ydoc);
    list.replaceChildren(
      ...threads.map((t) => {
        const answer = h("textarea", { rows: 1, "aria-label": `Reply to thread ${t.id}` });
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
                ` ${new Date(m.at).toLocaleString()}: `,
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
                h(
                  "button",
                  {
                    type: "button",
                    onclick: () => {
                      if (!answer.value.trim()) return;
                      wb.ydoc.transact(
                        () => reply(wb.ydoc, t.id, wb.user(), answer.value.trim()),
                        PANEL_ORIGIN,
                      );
                    },
                  },
                  "Reply",
                ),
                h(
                  "button",
                  {
                    type: "button",
                    onclick: () =>
                      wb.ydoc.transact(
                        () =>
                          setThreadStatus(
                            wb.ydoc,
                            t.id,
                            t.status === "open" ? "resolved" : "open",
                            wb.user(),
                          ),
                        PANEL_ORIGIN,
                      ),
                  },
                  t.status === "open" ? "Resolve" : "Reopen",
                ),
              )
            : "",
        );
      }),
    );
  };

  if (wb.canReview) {
    root.append(
      h("p", { className: "hint" }, "Select words in the text (or open an apparatus entry), then write:"),
      draft,
      h("button", { type: "button", onclick: start }, "Add comment"),
    );
  }
  root.append(message, list);
  wb.ydoc.getMap(ROOTS.comments).observeDeep(() => wb.schedule(render));
  wb.onDocChange(() => wb.schedule(render));
  render();
  return {
    commentOnEntry: (app: string) => {
      pendingEntry = app;
      message.textContent = `Your next comment goes on apparatus entry ${app}.`;
      draft.focus();
    },
  };
}
