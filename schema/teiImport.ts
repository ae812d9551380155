/** TEI P5 import; the implementation is in `tei/` (see its README). Re-exported for existing callers. */
export {
  type ImportReport,
  type ImportResult,
  importTei,
  importTeiBytes,
  MAX_TEI_BYTES,
  MAX_TEI_DEPTH,
  type ReportGroup,
} from "./tei/import.ts";
