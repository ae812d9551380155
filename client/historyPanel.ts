/**
 * The history panel: named versions (make one, compare one with the current text, restore it) and the
 * latest attributed changes. Talks to the server's history API; the page's cookie carries the role.
 */
import { formatWhen } from "./dates.ts";
import { h } from "./dom.ts";
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
  const changes = h("ol", { className: "changes" });
  const comparison = h("div", { className: "comparison", "aria-live": "polite" });
  const label = h("input", {
    "aria-label": "Name of the new version",
    placeholder: "sent to the press 2026-12-01",
  });

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
                        message.textContent = `restored "${v.label}"`;
                      } catch (e) {
                        message.textContent = (e as Error).message;
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
      const recent = (await call("GET", "/changes?limit=20")) as unknown as {
        user: string | null;
        at: number;
        bytes: number;
      }[];
      changes.replaceChildren(
        ...recent.map((c) => h("li", {}, `${c.user ?? "server"} — ${formatWhen(c.at)} (${c.bytes} bytes)`)),
      );
    } catch (e) {
      message.textContent = (e as Error).message;
    }
  };

  const view = async (v: Version) => {
    try {
      const found = (await call("GET", `/versions/${v.id}`)) as unknown as { text: string };
      comparison.replaceChildren(
        h("h3", {}, `“${v.label}”: its text`),
        h("div", { className: "diff version-text" }, found.text),
      );
    } catch (e) {
      message.textContent = (e as Error).message;
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
    } catch (e) {
      message.textContent = (e as Error).message;
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
                label.value = "";
                void refresh();
              } catch (e) {
                message.textContent = (e as Error).message;
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
    comparison,
    h("h3", {}, "Latest changes"),
    changes,
  );
  void refresh();
}
