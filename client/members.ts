/**
 * The members page: lists who has which role (a role can be changed or taken away), makes invitation
 * links for a chosen role (copy, expiry, revoke while unused), and publishes or unpublishes the edition,
 * saying what that means. Everything it shows comes from the API; every change goes through it.
 */
import { h } from "./dom.ts";
import { api, byId, say, when } from "./pageApi.ts";

const ROLES = ["owner", "editor", "reviewer", "reader"] as const;

interface Member {
  name: string;
  role: string;
}
interface Invite {
  id: number;
  role: string;
  createdAt: number;
  expiresAt: number | null;
}

const app = document.getElementById("members-app");
if (app) {
  const edition = app.dataset.edition ?? "";
  const me = app.dataset.me ?? "";
  const base = `/api/editions/${encodeURIComponent(edition)}`;
  const message = byId("members-message");

  const renderMembers = async () => {
    const result = await api<Member[]>("GET", `${base}/members`);
    if (!result.ok) return say(message, result.error, true);
    const rows = result.data.map((m) => {
      const select = h(
        "select",
        {
          "aria-label": `Role of ${m.name}`,
          disabled: m.name === me,
          onchange: async (e: Event) => {
            const role = (e.target as HTMLSelectElement).value;
            const changed = await api("PUT", `${base}/members/${encodeURIComponent(m.name)}`, { role });
            say(message, changed.ok ? `${m.name} is now ${role}.` : changed.error, !changed.ok);
            await renderMembers();
          },
        },
        ...ROLES.map((r) => h("option", { value: r, selected: r === m.role }, r)),
      );
      const remove = h(
        "button",
        {
          type: "button",
          disabled: m.name === me,
          onclick: async () => {
            const removed = await api("DELETE", `${base}/members/${encodeURIComponent(m.name)}`);
            say(
              message,
              removed.ok
                ? `${m.name} is no longer a member; their open editors were disconnected.`
                : removed.error,
              !removed.ok,
            );
            await renderMembers();
          },
        },
        `Remove ${m.name}`,
      );
      return h(
        "tr",
        { "data-member": m.name },
        h("td", {}, m.name, m.name === me ? " (you)" : ""),
        h("td", {}, select),
        h("td", {}, remove),
      );
    });
    byId("members-list").replaceChildren(
      ...(rows.length ? rows : [h("tr", {}, h("td", { colSpan: 3 }, "No members yet: invite someone."))]),
    );
  };

  const renderInvites = async () => {
    const result = await api<Invite[]>("GET", `${base}/invites`);
    if (!result.ok) return say(message, result.error, true);
    byId("invites-list").replaceChildren(
      ...(result.data.length
        ? result.data.map((i) =>
            h(
              "li",
              { "data-invite": String(i.id) },
              `As ${i.role}, made ${when(i.createdAt)}, expires ${when(i.expiresAt)} `,
              h(
                "button",
                {
                  type: "button",
                  onclick: async () => {
                    const revoked = await api("DELETE", `${base}/invites/${i.id}`);
                    say(
                      message,
                      revoked.ok ? `The invitation as ${i.role} was revoked.` : revoked.error,
                      !revoked.ok,
                    );
                    await renderInvites();
                  },
                },
                `Revoke the invitation as ${i.role}`,
              ),
            ),
          )
        : [h("li", {}, "None.")]),
    );
  };

  const renderPublished = async () => {
    const result = await api<{ published: boolean }>("GET", base);
    if (!result.ok) return say(message, result.error, true);
    const published = result.data.published;
    byId("publish-state").textContent = published
      ? "Published: anyone, signed in or not, may read this edition — the workbench read-only, the reading edition, its exports and history. Only members may change it."
      : "Unpublished: only the members listed above (and the owner of this Variorum) may open this edition. Publishing lets anyone read it, without an account; it does not let anyone change it.";
    const toggle = byId<HTMLButtonElement>("publish-toggle");
    toggle.textContent = published ? "Unpublish: members only" : "Publish: anyone may read";
    toggle.onclick = async () => {
      const changed = await api("POST", `${base}/publish`, { published: !published });
      say(
        message,
        changed.ok
          ? published
            ? "Unpublished: visitors can no longer open it."
            : "Published."
          : changed.error,
        !changed.ok,
      );
      await renderPublished();
    };
  };

  const form = byId<HTMLFormElement>("invite-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const role = String(new FormData(form).get("role") ?? "");
    const result = await api<{ link: string; expiresAt: number; expiresInDays: number }>(
      "POST",
      `${base}/invites`,
      {
        role,
      },
    );
    if (!result.ok) return say(message, result.error, true);
    const link = byId<HTMLInputElement>("invite-link");
    link.value = result.data.link;
    byId("invite-expiry").textContent =
      `Valid once, as ${role}, until ${when(result.data.expiresAt)} (${result.data.expiresInDays} days). It is shown only now.`;
    byId("invite-result").hidden = false;
    say(message, `An invitation link as ${role} is ready to send.`);
    link.focus();
    link.select();
    await renderInvites();
  });

  byId("invite-copy").addEventListener("click", async () => {
    const link = byId<HTMLInputElement>("invite-link");
    try {
      await navigator.clipboard.writeText(link.value);
      say(message, "The invitation link is copied.");
    } catch {
      link.select();
      say(message, "Copying was not allowed here: the link is selected, copy it with Ctrl-C.", true);
    }
  });

  void Promise.all([renderMembers(), renderInvites(), renderPublished()]);
}
