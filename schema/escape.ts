/** Escapes text for HTML and XML content and attribute values. Everything a user typed passes here. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
