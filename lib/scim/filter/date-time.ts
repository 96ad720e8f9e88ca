import { ScimFilterError } from "./errors";

// xsd:dateTime as SCIM uses it (RFC 7643 §2.3.5), always with a zone so the instant is unambiguous.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * Returns the value when it is a real instant PostgreSQL and JavaScript both hold (years 0001 to
 * 9999, a day the month has); anything else answers invalidValue instead of a database error.
 */
export function checkDateTime(value: string, name: string): string {
  const m = DATE_TIME.exec(value);
  const refuse = () =>
    new ScimFilterError("invalidValue", `"${name}": "${value.slice(0, 60)}" is not a date and time such as "2026-05-01T09:30:00Z" (years 0001 to 9999, with Z or an offset).`);
  if (!m) throw refuse();
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map(Number);
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (year < 1 || !realDay || hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) throw refuse();
  return value;
}
