// Strict 8-4-4-4-12 form: anything else is answered as "not found" without reaching PostgreSQL,
// which would otherwise reject it with an error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
