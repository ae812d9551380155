import { describe, expect, it } from "vitest";
import { type ChangeSummary, emptySummary } from "../../schema/changeSummary.ts";
import { groupSessions, type HistoryChange } from "../../schema/historySessions.ts";

const typed = (id: string, added: string, removed = ""): ChangeSummary => ({
  ...emptySummary(),
  blocks: [{ id, added, removed, formatted: 0, inNote: false }],
});
const minute = 60_000;

describe("the history in sessions", () => {
  it("groups one person's typing of a sentence into one session with its words", () => {
    const sentence = "We now turn to the issue.";
    const changes: HistoryChange[] = [...sentence].map((ch, i) => ({
      seq: i + 1,
      user: "Anna",
      at: 1_000_000 + i * 400,
      summary: typed("p12", ch),
    }));
    const sessions = groupSessions(changes);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.changes).toBe(sentence.length);
    expect(sessions[0]?.summary.blocks).toEqual([
      { id: "p12", added: sentence, removed: "", formatted: 0, inNote: false },
    ]);
    expect(sessions[0]?.kinds).toEqual(["text"]);
  });

  it("nets out a typo corrected within the session, and starts a new session after a pause or another person", () => {
    const changes: HistoryChange[] = [
      { seq: 1, user: "Anna", at: 0, summary: typed("p1", "teh") },
      { seq: 2, user: "Anna", at: 1000, summary: typed("p1", "", "eh") },
      { seq: 3, user: "Anna", at: 2000, summary: typed("p1", "he") },
      { seq: 4, user: "Ben", at: 3000, summary: { ...emptySummary(), decisions: ["app-1/WD"] } },
      { seq: 5, user: "Anna", at: 3000 + 10 * minute, summary: null },
    ];
    const [last, ben, first] = groupSessions(changes);
    expect(first?.summary.blocks[0]?.added).toBe("the");
    expect(first?.summary.blocks[0]?.removed).toBe("");
    expect(ben?.user).toBe("Ben");
    expect(ben?.kinds).toEqual(["decisions"]);
    expect(last?.undescribed).toBe(1);
    expect(last?.kinds).toEqual([]);
  });
});
