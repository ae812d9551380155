/**
 * The history panel: named versions (make one, compare one with the current text, restore it) and the
 * latest attributed changes. Talks to the server's history API; the page's cookie carries the role.
 */
import type { ChangeKind } from "../schema/historySessions.ts";
import { formatWhen } from "./dates.ts";
import { h } from "./dom.ts";
import { KINDS, type Session, sessionItem } from "./historyList.ts";
import type { Workbench } from "./workbench.ts";

interface Version {
  id: number;
  label: string;
  createdBy: string | null;
  createdAt: number;
}

interface Span {
  text: string;
}

type Segment = { kind: "equal"; base: Span } | { kind: "variant"; index: number };

export function mountHistoryPanel(root: HTMLElement, wb: Workbench, editionId: string): void {
  const api = `/api/editions/${encodeURIComponent(editionId)}`;
  const message = h("p", { className: "panel-message", role: "status" });
  const list = h("ul", { className: "versions" });
  const changes = h("ol", { className: "changes sessions" });
  const comparison = h("div", { className: "comparison", "aria-live": "polite" });
  // The text of a version and a comparison are wide: they open over the page, not in the panel.
  const wide = h(
    "dialog",
    { className: "wide", "aria-label": "Version" },
    h("button", { type: "button", className: "close", onclick: () => wide.close() }, "Close"),
    comparison,
  );
  document.body.append(wide);
  let sessions: Session[] = [];
  const person = h("select", { "aria-label": "Show the changes of", onchange: () => renderSessions() });
  const kind = h(
    "select",
    { "aria-label": "Show changes to", onchange: () => renderSessions() },
    h("option", { value: "" }, "everything"),
    ...KINDS.map(([value, label]) => h("option", { value }, label)),
  );
  const renderSessions = () => {
    const who = person.value;
    const what = kind.value;
    const shown = sessions.filter(
      (s) => (who === "" || (s.user ?? "") === who) && (what === "" || s.kinds.includes(what as ChangeKind)),
    );
    changes.replaceChildren(
      ...(shown.length
        ? shown.map((s) => sessionItem(s, wb))
        : [h("li", { className: "hint" }, "No changes of that kind.")]),
    );
  };
  const label = h("input", {
    "aria-label": "Name of the new version",
    placeholder: "sent to the press 2026-12-01",
  });

  /** An error stays until the next success; a success replaces it. */
  const fail = (text: string) => {
    message.textContent = text;
    message.dataset.error = "true";
  };
  const succeed = (text = "") => {
    if (text || message.dataset.error) message.textContent = text;
    delete message.dataset.error;
  };

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(String(data.error ?? res.statusText));
    return data;
  };

  const refresh = async () => {
    try {
      const versions = (await call("GET", "/versions")) as unknown as Version[];
      list.replaceChildren(
        ...versions.map((v) =>
          h(
            "li",
            {},
            h("strong", {}, v.label),
            ` — ${v.createdBy ?? "someone"}, ${formatWhen(v.createdAt)} `,
            h("button", { type: "button", className: "small", onclick: () => view(v) }, "view"),
            h(
              "button",
              { type: "button", className: "small", onclick: () => compare(v) },
              "compare with now",
            ),
            wb.canEdit
              ? h(
                  "button",
                  {
                    type: "button",
                    className: "small",
                    onclick: async () => {
                      if (!confirm(`Restore "${v.label}"? This is a new change; nothing is erased.`)) return;
                      try {
                        await call("POST", `/versions/${v.id}/restore`);
                        succeed(`restored "${v.label}"`);
                      } catch (e) {
                        fail((e as Error).message);
                      }
                      void refresh();
                    },
                  },
                  "restore",
                )
              : "",
          ),
        ),
      );
      sessions = (await call("GET", "/history")) as unknown as Session[];
      const chosen = person.value;
      const people = [...new Set(sessions.map((s) => s.user ?? ""))].sort();
      person.replaceChildren(
        h("option", { value: "" }, "everyone"),
        ...people.map((p) => h("option", { value: p, selected: p === chosen }, p || "the server")),
      );
      renderSessions();
      succeed();
    } catch (e) {
      fail((e as Error).message);
    }
  };

  const view = async (v: Version) => {
    try {
      const found = (await call("GET", `/versions/${v.id}`)) as unknown as { text: string };
      comparison.replaceChildren(
        h("h3", {}, `“${v.label}”: its text`),
        h("div", { className: "diff version-text" }, found.text),
      );
      succeed();
      if (!wide.open) wide.showModal();
    } catch (e) {
      fail((e as Error).message);
    }
  };

  const compare = async (v: Version) => {
    try {
      const result = (await call("GET", `/versions/${v.id}/compare`)) as unknown as {
        variants: { base: Span; witness: Span }[];
        segments: Segment[];
      };
      comparison.replaceChildren(
        h(
          "h3",
          {},
          `“${v.label}” compared with the current text: ${result.variants.length} difference${result.variants.length === 1 ? "" : "s"}`,
        ),
        h(
          "div",
          { className: "diff" },
          ...result.segments.map((s) => {
            if (s.kind === "equal") {
              const t = s.base.text;
              return t.length > 160 ? `${t.slice(0, 70)} … ${t.slice(-70)}` : t;
            }
            const d = result.variants[s.index];
            return h(
              "span",
              {},
              d?.base.text ? h("del", {}, d.base.text) : "",
              d?.witness.text ? h("ins", {}, d.witness.text) : "",
            );
          }),
        ),
      );
      succeed();
      if (!wide.open) wide.showModal();
    } catch (e) {
      fail((e as Error).message);
    }
  };

  if (wb.canEdit) {
    root.append(
      h(
        "div",
        { className: "row" },
        label,
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              try {
                await call("POST", "/versions", { label: label.value });
                succeed(`named the version “${label.value}”`);
                label.value = "";
                void refresh();
              } catch (e) {
                fail((e as Error).message);
              }
            },
          },
          "Name this version",
        ),
      ),
    );
  }
  root.append(
    message,
    h("h3", {}, "Named versions"),
    list,
    h("h3", {}, "Changes, by working session"),
    h(
      "div",
      { className: "row" },
      person,
      kind,
      h("button", { type: "button", className: "small", onclick: () => void refresh() }, "Refresh"),
    ),
    changes,
  );
  // Read when the tab is shown, each time (a large edition's history is a quarter of a second of the
  // server's work, which every opening of the workbench asked for behind a tab seldom open).
  let shown = false;
  const onShown = () => {
    if (!root.hidden && !shown) void refresh();
    shown = !root.hidden;
  };
  new MutationObserver(onShown).observe(root, { attributes: true, attributeFilter: ["hidden"] });
  onShown();
}
