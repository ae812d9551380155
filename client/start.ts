/**
 * The start page's *New edition* form: the chosen file is sent for a preview (what the edition will be,
 * and what a TEI file holds that cannot be represented), and only *Create the edition* creates it.
 */
import { h } from "./dom.ts";
import { api, byId, say } from "./pageApi.ts";

interface Summary {
  id: string;
  format: "text" | "tei";
  title: string;
  baseWitness: string;
  blocks: number;
  notRepresented: string[];
  url?: string;
}

const form = document.getElementById("new-edition-form") as HTMLFormElement | null;
if (form) {
  const preview = byId("new-edition-preview");
  const summaryBox = byId("preview-summary");
  const message = byId("new-edition-message");
  const confirm = byId<HTMLButtonElement>("new-edition-confirm");
  let pending: { query: string; text: string } | null = null;

  const request = async (): Promise<{ query: string; text: string } | null> => {
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      say(message, "Choose a file first.", true);
      return null;
    }
    const query = new URLSearchParams({
      id: String(data.get("id") ?? "").trim(),
      title: String(data.get("title") ?? "").trim(),
      siglum: String(data.get("siglum") ?? "").trim(),
      filename: file.name,
    });
    const format = String(data.get("format") ?? "auto");
    if (format !== "auto") query.set("format", format);
    return { query: query.toString(), text: await file.text() };
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    pending = null;
    preview.hidden = true;
    const req = await request();
    if (!req) return;
    say(message, "Reading the file…");
    const result = await api<Summary>("POST", `/api/editions/preview?${req.query}`, req.text);
    if (!result.ok) {
      say(message, result.error, true);
      return;
    }
    const s = result.data;
    pending = req;
    summaryBox.replaceChildren(
      h(
        "p",
        {},
        `“${s.title}” as edition ${s.id}: ${s.blocks} block(s) of base text (${s.baseWitness}), from a ${s.format === "tei" ? "TEI file" : "text with a provenance header"}.`,
      ),
      s.notRepresented.length === 0
        ? h("p", { id: "not-represented" }, "Everything in the file is kept as it is.")
        : h(
            "div",
            { id: "not-represented" },
            h(
              "p",
              {},
              `${s.notRepresented.length} kind(s) of thing in the file are converted or dropped, as each line says; read them before creating the edition:`,
            ),
            h("ul", {}, ...s.notRepresented.map((line) => h("li", {}, line))),
          ),
    );
    preview.hidden = false;
    say(message, "Check the preview, then create the edition.");
    confirm.focus();
  });

  confirm.addEventListener("click", async () => {
    if (!pending) return;
    confirm.disabled = true;
    const result = await api<Summary>("POST", `/api/editions?${pending.query}`, pending.text);
    confirm.disabled = false;
    if (!result.ok) {
      say(message, result.error, true);
      return;
    }
    say(message, `Created edition ${result.data.id}.`);
    location.assign(result.data.url ?? "/");
  });

  byId("new-edition-cancel").addEventListener("click", () => {
    pending = null;
    preview.hidden = true;
    say(message, "Nothing was created.");
  });
}
