/**
 * The editors' form beside the scans to attach a IIIF Presentation manifest or Image API service to a
 * witness by its URL (`POST …/witnesses/<siglum>/iiif`, server/http/iiifImport.ts): its canvases become
 * the witness's next pages, shown from where they are.
 */
import { h } from "./dom.ts";

export function iiifAttachForm(
  editionId: string,
  siglum: string,
  message: HTMLElement,
  attached: () => Promise<void>,
): HTMLElement {
  const say = (text: string) => {
    message.textContent = text;
  };
  const url = h("input", {
    type: "url",
    placeholder: "https://…/manifest.json",
    "aria-label": `URL of a IIIF manifest or info.json to attach to ${siglum}`,
  });
  const form = h(
    "form",
    { className: "row iiif-attach" },
    "Attach IIIF: ",
    url,
    h("button", { type: "submit", className: "small" }, "Attach"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!url.value.trim()) return;
    say("Fetching the manifest…");
    const res = await fetch(
      `/api/editions/${encodeURIComponent(editionId)}/witnesses/${encodeURIComponent(siglum)}/iiif`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: url.value.trim() }),
      },
    );
    const body = (await res.json().catch(() => ({}))) as { error?: string; pages?: unknown[] };
    if (!res.ok) {
      say(`Refused: ${body.error ?? res.status}`);
      return;
    }
    url.value = "";
    await attached();
    const n = body.pages?.length ?? 0;
    say(`attached ${n} page${n === 1 ? "" : "s"} from the manifest (shown from where they are)`);
  });
  return form;
}
