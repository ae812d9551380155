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
});
