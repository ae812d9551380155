/** The account page: change the password, sign out everywhere, revoke one's own API tokens. */
import { api, byId, say } from "./pageApi.ts";

const message = document.getElementById("account-message");
const displayForm = document.getElementById("display-form") as HTMLFormElement | null;
displayForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(displayForm);
  const result = await api<{ displayName: string }>("POST", "/api/account/display-name", {
    displayName: String(data.get("displayName") ?? ""),
  });
  say(message, result.ok ? `Others now see you as ${result.data.displayName}.` : result.error, !result.ok);
});

const form = document.getElementById("password-form") as HTMLFormElement | null;
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const result = await api<{ otherSessionsEnded: number }>("POST", "/api/account/password", {
      current: String(data.get("current") ?? ""),
      password: String(data.get("password") ?? ""),
    });
    say(
      message,
      result.ok
        ? `The password is changed; ${result.data.otherSessionsEnded} other session(s) were signed out.`
        : result.error,
      !result.ok,
    );
    if (result.ok) form.reset();
  });

  byId("sign-out-everywhere").addEventListener("click", async () => {
    const result = await api("POST", "/api/account/sign-out-everywhere");
    if (!result.ok) return say(message, result.error, true);
    location.assign("/");
  });

  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-revoke-token]")) {
    button.addEventListener("click", async () => {
      const result = await api("DELETE", `/api/account/tokens/${button.dataset.revokeToken}`);
      if (!result.ok) return say(message, result.error, true);
      button.closest("li")?.remove();
      say(message, "The token is revoked: whatever used it is signed out.");
    });
  }
}
