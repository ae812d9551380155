/** The settings page: saves the title and the base text's provenance; deletes the edition once its id is typed. */
import { api, byId, say } from "./pageApi.ts";

const app = document.getElementById("settings-app");
if (app) {
  const edition = app.dataset.edition ?? "";
  const path = `/api/editions/${encodeURIComponent(edition)}`;
  const message = byId("settings-message");

  const form = byId<HTMLFormElement>("settings-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? "");
    const result = await api("PATCH", path, {
      title: field("edition-title"),
      provenance: {
        title: field("title"),
        publication: field("publication"),
        date: field("date"),
        address: field("address"),
      },
    });
    say(message, result.ok ? "Saved." : result.error, !result.ok);
    if (result.ok) document.title = `Settings of ${field("edition-title")} — Variorum`;
  });

  const remove = document.getElementById("delete-form") as HTMLFormElement | null;
  remove?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const confirm = String(new FormData(remove).get("confirm") ?? "").trim();
    if (confirm !== edition) {
      say(message, `Type the edition's id, ${edition}, to delete it. Nothing was deleted.`, true);
      return;
    }
    const result = await api("DELETE", path, { confirm });
    if (!result.ok) {
      say(message, result.error, true);
      return;
    }
    location.assign("/");
  });
}
