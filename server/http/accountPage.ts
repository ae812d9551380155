/** The account page: change the password, sign out everywhere, one's API tokens (`client/account.ts` acts). */
import { escapeXml as x } from "../../schema/escape.ts";
import type { TokenRecord } from "../accountStore.ts";
import type { Principal } from "../auth.ts";
import { page, who } from "../pages.ts";

function day(ms: number | null): string {
  return ms === null ? "never" : new Date(ms).toISOString().slice(0, 10);
}

export function accountPage(principal: Principal, tokens: TokenRecord[]): string {
  const rows = tokens
    .map(
      (t) =>
        `<li data-token="${t.id}">${x(t.label)} — made ${day(t.createdAt)}, expires ${day(t.expiresAt)} <button type="button" data-revoke-token="${t.id}">Revoke ${x(t.label)}</button></li>`,
    )
    .join("\n");
  return page(
    "Your account — Variorum",
    `<h1>Your account</h1>${who(principal)}
<p><a href="/">Start page</a></p>
<p id="account-message" role="status" aria-live="polite"></p>
<section aria-labelledby="h-display"><h2 id="h-display">The name others see</h2>
<p>It labels your cursor, your comments, your decisions and your changes in the history. You sign in as <strong>${x(principal.name)}</strong> whatever it is. Open editors show a new name after a reload.</p>
<form id="display-form" class="form">
<label>Display name <input type="text" name="displayName" value="${x(principal.displayName)}" maxlength="60" autocomplete="name"></label>
<button type="submit">Save the name</button>
</form>
</section>
<section aria-labelledby="h-password"><h2 id="h-password">Change your password</h2>
<p>Your other browsers are signed out when the password changes; this one stays signed in.</p>
<form id="password-form" class="form">
<input type="text" name="username" autocomplete="username" value="${x(principal.name)}" hidden>
<label>Current password <input type="password" name="current" autocomplete="current-password"></label>
<label>New password (at least 10 characters) <input type="password" name="password" autocomplete="new-password" required minlength="10"></label>
<button type="submit">Change the password</button>
</form>
</section>
<section aria-labelledby="h-sessions"><h2 id="h-sessions">Sign out everywhere</h2>
<p>Ends every session of ${x(principal.name)}, in every browser, this one too; open editors are disconnected.
API tokens are not affected: revoke them below.</p>
<button type="button" id="sign-out-everywhere">Sign out everywhere</button>
</section>
<section aria-labelledby="h-tokens"><h2 id="h-tokens">Your API tokens</h2>
<p>Tokens made by <code>npx variorum user add</code> for scripts. Revoking one ends whatever uses it at once.</p>
${tokens.length ? `<ul id="tokens-list" aria-labelledby="h-tokens">\n${rows}\n</ul>` : '<p id="tokens-list">You have no API tokens.</p>'}
</section>`,
    "account",
  );
}
