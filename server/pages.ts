/**
 * The server-rendered pages: start page, sign-in, the first owner's claim, invitations, and refusals.
 * Every value a user typed passes through `escapeXml`; no page carries inline script.
 */
import { escapeXml as x } from "../schema/escape.ts";
import type { Role } from "./accountStore.ts";
import type { Principal } from "./auth.ts";

/** A page; `script` names a bundle in /assets (built from client/ by scripts/build-client.mjs). */
export function page(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${x(title)}</title><link rel="stylesheet" href="/assets/style.css">${script ? `<script type="module" src="/assets/${x(script)}.js"></script>` : ""}</head>
<body class="start"><main>${body}</main></body></html>`;
}

export interface ListedEdition {
  id: string;
  title: string;
  published: boolean;
  role: Role | null;
}

export function startPage(principal: Principal | null, editions: ListedEdition[]): string {
  const items = editions
    .map((e) => {
      const id = encodeURIComponent(e.id);
      const actions = [
        `<a class="read" href="/read/${id}">Read the edition</a>`,
        e.role && e.role !== "reader"
          ? `<a href="/editions/${id}">Open in the workbench (${x(e.role)})</a>`
          : "",
        e.role === "owner" ? `<a href="/editions/${id}/members">Members and publishing</a>` : "",
        e.role === "owner" || e.role === "editor"
          ? `<a href="/editions/${id}/settings">Title, provenance${e.role === "owner" ? ", delete" : ""}</a>`
          : "",
      ]
        .filter(Boolean)
        .join(" · ");
      const role = principal && e.role ? `your role: <strong class="role">${x(e.role)}</strong> · ` : "";
      return `<li data-edition="${x(e.id)}"><h3>${x(e.title)}</h3><p class="meta">${role}<span class="id">${x(e.id)}</span> · ${e.published ? "published" : "unpublished"}</p><p>${actions}</p></li>`;
    })
    .join("\n");
  const none = principal
    ? "<p>No edition is open to you yet. Ask an edition's owner for an invitation.</p>"
    : "<p>No edition is published yet. Sign in to see the editions you work on.</p>";
  return page(
    "Variorum",
    `<h1>Variorum</h1>${who(principal)}
<p>A collaborative workbench for critical editions.</p>
<h2>Editions</h2>
${editions.length ? `<ul class="editions">\n${items}\n</ul>` : none}
${principal ? newEditionForm() : ""}`,
    principal ? "start" : undefined,
  );
}

/** Creating an edition from a file: the preview lists what cannot be represented before the creation. */
function newEditionForm(): string {
  return `<section aria-labelledby="new-edition"><h2 id="new-edition">New edition</h2>
<p>From a UTF-8 text with a provenance header (<code>Title:</code>, <code>Publication:</code>, <code>Date:</code>,
<code>Address:</code>, then a line <code>---</code> and the text), or from a TEI P5 file. You become its owner.</p>
<form id="new-edition-form" class="form">
<label>File <input type="file" name="file" required accept=".txt,.xml,.tei,text/plain,application/xml"></label>
<label>Kind of file <select name="format"><option value="auto">by its name (.xml, .tei: TEI; otherwise text)</option><option value="text">text with a provenance header</option><option value="tei">TEI P5</option></select></label>
<label>Edition id (lower-case letters, digits, dashes) <input name="id" required maxlength="64"></label>
<label>Title (empty: the file's title) <input name="title" maxlength="200"></label>
<label>Siglum of the base text (a text file) <input name="siglum" value="BASE" maxlength="16"></label>
<button type="submit">Preview</button>
</form>
<div id="new-edition-preview" hidden>
<h3>Before you create it</h3>
<div id="preview-summary"></div>
<button type="button" id="new-edition-confirm">Create the edition</button> <button type="button" id="new-edition-cancel">Cancel</button>
</div>
<p id="new-edition-message" role="status" aria-live="polite"></p>
</section>`;
}

export function loginPage(message = ""): string {
  return page(
    "Sign in — Variorum",
    `<h1>Sign in</h1>
${message ? `<p class="error" role="alert">${x(message)}</p>` : ""}
<form method="post" action="/login" class="form">
<label>Name <input name="name" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
<p><a href="/">Back to the start page</a></p>`,
  );
}

export function accountForm(title: string, action: string, intro: string, message = ""): string {
  return page(
    `${title} — Variorum`,
    `<h1>${x(title)}</h1>
<p>${x(intro)}</p>
${message ? `<p class="error" role="alert">${x(message)}</p>` : ""}
<form method="post" action="${x(action)}" class="form">
<label>Name <input name="name" autocomplete="username" required maxlength="60"></label>
<label>Password (at least 10 characters) <input name="password" type="password" autocomplete="new-password" required minlength="10"></label>
<button type="submit">Create the account</button>
</form>`,
  );
}

export function acceptInvitePage(principal: Principal, action: string, edition: string, role: Role): string {
  return page(
    "Invitation — Variorum",
    `<h1>Invitation</h1>
<p>You are invited to work on <strong>${x(edition)}</strong> as <strong>${x(role)}</strong>.</p>
<form method="post" action="${x(action)}"><button type="submit">Accept as ${x(principal.name)}</button></form>`,
  );
}

/** The signed-in line, with the way to one's account and out; or the way in. */
export function who(principal: Principal | null): string {
  return principal
    ? `<form class="who" method="post" action="/logout">Signed in as <strong>${x(principal.name)}</strong>${principal.admin ? " (owner of this Variorum)" : ""} · <a href="/account">Your account</a> <button type="submit">Sign out</button></form>`
    : '<p class="who"><a href="/login">Sign in</a></p>';
}

export function refusalPage(status: number, message: string, signIn: boolean): string {
  return page(
    `${status} — Variorum`,
    `<h1>${status === 401 ? "Sign in needed" : status === 403 ? "Not allowed" : "Not found"}</h1>
<p role="alert">${x(message)}</p>
${signIn ? '<p><a href="/login">Sign in</a></p>' : ""}<p><a href="/">Start page</a></p>`,
  );
}
