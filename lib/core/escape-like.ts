/**
 * Escapes LIKE's wildcards and its escape character, so text typed by a person matches only
 * literally: `like(column, `${escapeLike(q)}%`)` is "starts with q", whatever q holds.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
