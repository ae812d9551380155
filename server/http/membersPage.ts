/**
 * The members page of an edition (its owner's): who has which role, invitations, publication. The page
 * is a frame with headings and labelled controls; `client/members.ts` fills the lists from the API and
 * performs the changes.
 */
import { escapeXml as x } from "../../schema/escape.ts";
import type { Principal } from "../auth.ts";
import { page, who } from "../pages.ts";
import type { EditionRecord } from "../store.ts";
import { INVITE_DAYS } from "./members.ts";

const ROLE_OPTIONS = `<option value="reviewer">reviewer — comments and decides on variants</option>
<option value="editor">editor — changes the text, notes, apparatus, witnesses</option>
<option value="reader">reader — reads the unpublished edition</option>
<option value="owner">owner — also invites, changes roles, publishes</option>`;

export function membersPage(principal: Principal, edition: EditionRecord): string {
  const id = encodeURIComponent(edition.id);
  return page(
    `Members of ${edition.title} — Variorum`,
    `<h1>Members of “${x(edition.title)}”</h1>${who(principal)}
<p><a href="/">Start page</a> · <a href="/editions/${id}">Open in the workbench</a> · <a href="/editions/${id}/settings">Title, provenance, delete</a></p>
<div id="members-app" data-edition="${x(edition.id)}" data-me="${x(principal.name)}">
<p id="members-message" role="status" aria-live="polite"></p>
<section aria-labelledby="h-members"><h2 id="h-members">Who has which role</h2>
<p>The owner of this Variorum owns every edition without being listed. A change takes effect at once, also in
editors already open: someone removed is disconnected and can change nothing more.</p>
<table class="members"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Remove</th></tr></thead>
<tbody id="members-list"><tr><td colspan="3">Loading…</td></tr></tbody></table>
</section>
<section aria-labelledby="h-invite"><h2 id="h-invite">Invite someone</h2>
<form id="invite-form" class="form">
<label>Role for the invited person <select name="role">${ROLE_OPTIONS}</select></label>
<button type="submit">Create an invitation link</button>
</form>
<div id="invite-result" hidden>
<label>Invitation link (send it to one person; it works once) <input id="invite-link" readonly size="60"></label>
<button type="button" id="invite-copy">Copy the link</button>
<p id="invite-expiry"></p>
</div>
<h3 id="h-invites">Unused invitations</h3>
<p>Each link is valid for ${INVITE_DAYS} days or until it is used; revoke one to make it worthless.</p>
<ul id="invites-list" aria-labelledby="h-invites"></ul>
</section>
<section aria-labelledby="h-publish"><h2 id="h-publish">Publishing</h2>
<p id="publish-state"></p>
<button type="button" id="publish-toggle"></button>
</section>
</div>`,
    "members",
  );
}
