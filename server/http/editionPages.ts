/**
 * The settings page of an edition: its title and the base text's provenance (editors and owners), and
 * deleting it (owners: a TEI export is offered first, then the id must be typed). `client/settings.ts` acts.
 */
import { escapeXml as x } from "../../schema/escape.ts";
import type { Role } from "../accountStore.ts";
import type { Principal } from "../auth.ts";
import { page, who } from "../pages.ts";
import type { EditionRecord } from "../store.ts";

export interface ProvenanceFields {
  title: string;
  publication: string;
  date: string;
  address: string;
}

const LABELS: Record<keyof ProvenanceFields, string> = {
  title: "Title of the base text's publication",
  publication: "Publication (journal, publisher, issue)",
  date: "Date",
  address: "Address (where the text can be found)",
};

export function settingsPage(
  principal: Principal,
  edition: EditionRecord,
  role: Role,
  provenance: ProvenanceFields,
): string {
  const id = encodeURIComponent(edition.id);
  const fields = (Object.keys(LABELS) as (keyof ProvenanceFields)[])
    .map(
      (k) =>
        `<label>${x(LABELS[k])} <input name="${k}" value="${x(provenance[k])}" required maxlength="1000"></label>`,
    )
    .join("\n");
  const remove =
    role === "owner"
      ? `<section aria-labelledby="h-delete"><h2 id="h-delete">Delete this edition</h2>
<p>Deleting removes this edition's text, witnesses' transcriptions, history, named versions, members and
invitations, for good. Nothing of any other edition is touched.</p>
<p><strong>First keep a copy:</strong> <a id="tei-export" href="/api/editions/${id}/tei" download="${x(edition.id)}.tei.xml">download the TEI export</a>.</p>
<form id="delete-form" class="form">
<label>Type the edition's id, <code>${x(edition.id)}</code>, to confirm <input name="confirm" autocomplete="off" required></label>
<button type="submit" class="danger">Delete the edition for good</button>
</form>
</section>`
      : "";
  return page(
    `Settings of ${edition.title} — Variorum`,
    `<h1>Settings of “${x(edition.title)}”</h1>${who(principal)}
<p><a href="/">Start page</a> · <a href="/editions/${id}">Open in the workbench</a>${role === "owner" ? ` · <a href="/editions/${id}/members">Members and publishing</a>` : ""}</p>
<div id="settings-app" data-edition="${x(edition.id)}">
<p id="settings-message" role="status" aria-live="polite"></p>
<section aria-labelledby="h-title"><h2 id="h-title">Title and provenance</h2>
<form id="settings-form" class="form">
<label>Title of the edition <input name="edition-title" value="${x(edition.title)}" required maxlength="200"></label>
<fieldset><legend>Provenance of the base text</legend>
${fields}
</fieldset>
<button type="submit">Save</button>
</form>
</section>
${remove}
</div>`,
    "settings",
  );
}
