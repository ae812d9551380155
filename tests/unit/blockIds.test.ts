import { splitBlock } from "prosemirror-commands";
import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { blockIdPlugin } from "../../client/blockIds.ts";
import { schema } from "../../schema/schema.ts";

const ids = (state: EditorState) => {
  const out: (string | null)[] = [];
  state.doc.forEach((n) => {
    out.push(n.attrs.id as string | null);
  });
  return out;
};

describe("block ids", () => {
  const start = () =>
    EditorState.create({
      schema,
      plugins: [blockIdPlugin()],
      doc: schema.node("doc", null, [
        schema.node("paragraph", { id: "p-a" }, [schema.text("First paragraph.")]),
        schema.node("paragraph", { id: "p-b" }, [schema.text("Second paragraph.")]),
      ]),
    });

  it("gives the second half of a split paragraph an id of its own", () => {
    let state = start();
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 6)));
    splitBlock(state, (tr) => {
      state = state.apply(tr);
    });
    const after = ids(state);
    expect(after).toHaveLength(3);
    expect(new Set(after).size).toBe(3);
    expect(after[0]).toBe("p-a");
    expect(after[2]).toBe("p-b");
  });

  it("gives a new id to a pasted paragraph that carries another's id, and leaves typing alone", () => {
    let state = start();
    const pasted = schema.node("paragraph", { id: "p-a" }, [schema.text("A copy.")]);
    state = state.apply(state.tr.insert(state.doc.content.size, pasted));
    const after = ids(state);
    expect(after.slice(0, 2)).toEqual(["p-a", "p-b"]);
    expect(after[2]).not.toBe("p-a");
    // Typing inside a paragraph changes no id and appends nothing.
    const typed = state.applyTransaction(state.tr.insertText("x", 3));
    expect(typed.transactions).toHaveLength(1);
    expect(ids(typed.state)).toEqual(after);
  });
});
