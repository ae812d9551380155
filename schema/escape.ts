/**
 * Escapes text for HTML and XML content and double-quoted attribute values. Everything a user typed
 * passes here before it reaches markup.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c] as string);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
