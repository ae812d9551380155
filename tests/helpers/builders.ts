import { builders } from "prosemirror-test-builder";
import { schema } from "../../schema/schema.ts";

/** prosemirror-test-builder over the edition schema: `doc(p("text", note("a note")))`. */
export const b = builders(schema, {
  p: { nodeType: "paragraph" },
  h2: { nodeType: "heading", level: 2 },
  note: { nodeType: "note", kind: "editorial" },
  icc: { nodeType: "note", kind: "original", resp: "ICC" },
});
