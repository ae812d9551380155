/**
 * The head of a transcription page (`/editions/<id>/witness/<siglum>`): what the page is for, which
 * witness it transcribes and where that witness comes from, how to type it, and the ways on: back to
 * the edition, and (for editors) collating the transcription with the base text.
 */
import { type CollationAnswer, collationReport } from "./collationReport.ts";
import { h } from "./dom.ts";

interface WitnessInfo {
  siglum: string;
  title: string;
  publication: string;
  date: string;
  address: string;
  provenance: string;
  coverage: string;
  covers: string;
}

export function mountTranscriptionIntro(
  root: HTMLElement,
  editionId: string,
  siglum: string,
  canEdit: boolean,
  /** The transcription's state vector now: the server collates only once it holds what is on screen. */
  stateVector: () => Uint8Array,
): void {
  const api = `/api/editions/${encodeURIComponent(editionId)}`;
  const edition = `/editions/${encodeURIComponent(editionId)}`;
  const message = h("p", { className: "panel-message", role: "status" });
  const witness = h("div", { className: "witness-card" }, `Witness ${siglum}`);
  const collate = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        message.textContent = `collating ${siglum} with the base text…`;
        const res = await fetch(`${api}/witnesses/${encodeURIComponent(siglum)}/collate`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ after: btoa(String.fromCharCode(...stateVector())) }),
        });
        const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        if (!res.ok) {
          message.textContent = `Collation refused: ${String(body.error ?? res.status)}`;
          return;
        }
        message.replaceChildren(collationReport(siglum, body as CollationAnswer));
      },
    },
    "Collate with the base text",
  );
  root.replaceChildren(
    h(
      "section",
      { className: "transcription-intro", "aria-labelledby": "transcription-heading" },
      h("h2", { id: "transcription-heading" }, `Transcription of witness ${siglum}`),
      witness,
      h(
        "p",
        {},
        "Type the witness's words exactly as printed — its spelling, punctuation and mistakes included; one paragraph of the witness per paragraph here. ",
        "Several people can type at once; every keystroke is saved. Do not correct or complete the text: what the witness lacks is a lacuna, not something to restore. ",
        canEdit
          ? "Mark what the scan shows with the buttons above: Page (a page break, with the number the source prints), Line (a line break, Shift+Enter), Gap (words missing or unreadable), Unclear and Supplied (on selected words). Notes to the team go in the panel on the right."
          : "",
      ),
      h(
        "nav",
        { className: "row", "aria-label": "Transcription" },
        h("a", { href: edition }, "← Back to the edition"),
        canEdit ? collate : "",
        h("a", { href: `${edition}/review/${encodeURIComponent(siglum)}` }, "Review side by side"),
      ),
      message,
    ),
  );
  void fetch(`${api}/witnesses`)
    .then((r) => (r.ok ? (r.json() as Promise<WitnessInfo[]>) : []))
    .then((list) => {
      const w = list.find((x) => x.siglum === siglum);
      if (!w) return;
      const row = (term: string, value: string) => (value ? [h("dt", {}, term), h("dd", {}, value)] : []);
      witness.replaceChildren(
        h("strong", {}, `${w.siglum}: ${w.title}`),
        h(
          "dl",
          {},
          ...row("Publication", w.publication),
          ...row("Date", w.date),
          ...row("Covers", w.covers || w.coverage),
          ...row("Address", w.address),
          ...row("Provenance", w.provenance),
        ),
      );
    });
}
