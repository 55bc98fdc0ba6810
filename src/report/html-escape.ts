/** Characters that mean something in HTML text or in a quoted attribute value. */
const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML element content and quoted attribute values (and SVG, which shares the
 * rules). Every string that comes from a report — bot names and commands, error messages, the
 * scenario's description — goes through this before it reaches report.html.
 */
export const escapeHtml = (text: string | number): string =>
  String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
