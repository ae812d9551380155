/**
 * Zod's English messages for the model's records. They use `zod/mini`, the functional build, which
 * bundlers can trim to what is used (a tenth of the classic build, in the client's script and at the
 * server's start), and which leaves the messages out unless a locale is configured: every module that
 * validates imports this one for that.
 *
 * Each imports `* as z from "zod/mini"` itself: a namespace re-exported from here could not be trimmed.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
