import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/editorPage.ts";
import { nodeClient, startTestServer, synced, type TestServer } from "../helpers/server.ts";

describe("presence", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it("labels everyone with their account's name and role, whatever their client claims", async () => {
    const eve = nodeClient(server.wsUrl, "manifesto", { token: server.userToken("Eve", "reviewer") });
    const ann = nodeClient(server.wsUrl, "manifesto", { token: server.userToken("Ann", "editor") });
    await Promise.all([synced(eve.provider), synced(ann.provider)]);
    // Eve's client claims to be the owner, with another name.
    eve.provider.awareness.setLocalStateField("user", {
      name: "Clara (owner)",
      role: "owner",
      color: "#b3261e",
    });
    const seen = () =>
      ann.provider.awareness.getStates().get(eve.provider.awareness.clientID) as
        | { user?: { name: string; role: string; color: string } }
        | undefined;
    await until(async () => seen()?.user !== undefined, "Eve's presence to reach Ann");
    expect(seen()?.user).toEqual({ name: "Eve", role: "reviewer", color: "#b3261e" });
    eve.provider.destroy();
    ann.provider.destroy();
  });

  it("shows the display name set on the account page, and refuses a name with a role in it or another's name", async () => {
    const token = server.userToken("Gwen", "editor");
    server.userToken("Hugo", "reader");
    const post = (displayName: string) =>
      fetch(`${server.url}/api/account/display-name`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ displayName }),
      });
    const bad = await post("Gwen (owner)");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /not a display name.*nothing was changed/,
    );
    const taken = await post("hugo");
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: string }).error).toMatch(/name of another account/);
    expect((await post("Gwendolyn Ashe")).status).toBe(200);

    const info = (await (
      await fetch(`${server.url}/api/editions/manifesto`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { user: string };
    expect(info.user).toBe("Gwendolyn Ashe");
    const gwen = nodeClient(server.wsUrl, "manifesto", { token });
    const other = nodeClient(server.wsUrl, "manifesto", { token: server.userToken("Ida", "editor") });
    await Promise.all([synced(gwen.provider), synced(other.provider)]);
    gwen.provider.awareness.setLocalStateField("user", { name: "anything" });
    const seen = () =>
      other.provider.awareness.getStates().get(gwen.provider.awareness.clientID) as
        | { user?: { name: string } }
        | undefined;
    await until(async () => seen()?.user !== undefined, "Gwen's presence");
    expect(seen()?.user?.name).toBe("Gwendolyn Ashe");
    gwen.provider.destroy();
    other.provider.destroy();
  });
});
