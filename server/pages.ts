/**
 * The server-rendered pages: start page, sign-in, the first owner's claim, invitations, and refusals.
 * Every value a user typed passes through `escapeXml`; no page carries inline script.
 */
import { escapeXml as x } from "../schema/escape.ts";
import type { Role } from "./accountStore.ts";
import type { Principal } from "./auth.ts";

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${x(title)}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body class="start">${body}</body></html>`;
}

function who(principal: Principal | null): string {
  return principal
    ? `<form class="who" method="post" action="/logout">Signed in as <strong>${x(principal.name)}</strong>${principal.admin ? " (owner of this Variorum)" : ""} <button type="submit">Sign out</button></form>`
    : '<p class="who"><a href="/login">Sign in</a></p>';
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
      ]
        .filter(Boolean)
        .join(" · ");
      return `<li><h3>${x(e.title)}</h3><p>${actions} <span class="id">${x(e.id)}${e.published ? "" : " · unpublished"}</span></p></li>`;
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
${editions.length ? `<ul class="editions">\n${items}\n</ul>` : none}`,
  );
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

export function refusalPage(status: number, message: string, signIn: boolean): string {
  return page(
    `${status} — Variorum`,
    `<h1>${status === 401 ? "Sign in needed" : status === 403 ? "Not allowed" : "Not found"}</h1>
<p role="alert">${x(message)}</p>
${signIn ? '<p><a href="/login">Sign in</a></p>' : ""}<p><a href="/">Start page</a></p>`,
  );
}
