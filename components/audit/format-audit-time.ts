/** "2026-05-01 09:30:12.345 UTC": to the millisecond, since order within a second matters in a trail. */
export function formatAuditTime(iso: string): string {
  return iso.replace("T", " ").replace(/Z$/, " UTC");
}
