#!/usr/bin/env node
// `npx variorum <command>`: runs the TypeScript command line through tsx, with no build step.
import { register } from "tsx/esm/api";

register();
await import("../cli/variorum.ts");
