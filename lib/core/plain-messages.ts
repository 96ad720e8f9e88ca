import { z } from "zod";

/*
 * What a person reads when input is refused. Schemas give field-relative reasons ("must be at
 * most 60 characters"); this module supplies plain reasons for every zod issue a schema did not
 * word itself (zod's own text, "Invalid input: expected number, received NaN", never reaches
 * anyone), and turns a field and its reason into a sentence that names the field as the form
 * labels it: "Approval limit must be a number, in the currency's units (such as 12.50)."
 * Browser-safe (zod only): the forms' resolver uses it too.
 */

type RawIssue = z.core.$ZodRawIssue;

const TYPE_WORDS: Record<string, string> = {
  string: "must be text",
  number: "must be a number",
  int: "must be a whole number",
  boolean: "must be yes or no",
  bigint: "must be a whole number",
  date: "must be a date",
  array: "must be a list",
  object: "must be a group of fields",
  record: "must be a group of fields",
  tuple: "must be a list",
};

const FORMAT_WORDS: Record<string, string> = {
  email: "must be an email address, such as name@example.com",
  url: "must be a web address, such as https://example.com",
  uuid: "must be an id from this app (pick it from the list)",
  guid: "must be an id from this app (pick it from the list)",
  datetime: "must be a date and time, such as 2026-05-01T09:30:00Z",
  date: "must be a date, such as 2026-05-01",
  time: "must be a time, such as 09:30",
  regex: "is not in the expected form",
};

/**
 * Zod's error map, worded for people. Schema-level messages still win (zod's precedence), so
 * this only speaks when a schema said nothing.
 */
export function plainIssueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "is required";
      if (issue.expected === "number" && typeof issue.input === "number") return "must be a number (digits only)";
      return TYPE_WORDS[issue.expected] ?? "is not the right kind of value";
    case "too_small":
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false, issue.exact === true);
    case "too_big":
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false, issue.exact === true);
    case "invalid_format":
      return FORMAT_WORDS[issue.format] ?? "is not in the expected form";
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "invalid_value":
      return issue.values.length <= 8 ? `must be one of: ${issue.values.map(String).join(", ")}` : "is not one of the choices offered";
    case "unrecognized_keys":
      return "is not a known field";
    case "invalid_union":
      return "is not one of the accepted forms";
    case "invalid_key":
    case "invalid_element":
      return "holds an entry that is not valid";
    default:
      return "is not valid";
  }
}

function tooSmall(origin: string, min: number, inclusive: boolean, exact: boolean): string {
  if (origin === "string") {
    if (exact) return `must be exactly ${plural(min, "character")}`;
    if (min <= 1 && inclusive) return "is required";
    return `must be at least ${plural(inclusive ? min : min + 1, "character")}`;
  }
  if (origin === "array" || origin === "set") return min <= 1 ? "needs at least one entry" : `needs at least ${plural(min, "entry", "entries")}`;
  if (origin === "date") return "is too early";
  return inclusive ? `must be ${min} or more` : `must be more than ${min}`;
}

function tooBig(origin: string, max: number, inclusive: boolean, exact: boolean): string {
  if (origin === "string") return exact ? `must be exactly ${plural(max, "character")}` : `must be at most ${plural(inclusive ? max : max - 1, "character")}`;
  if (origin === "array" || origin === "set") return `can have at most ${plural(max, "entry", "entries")}`;
  if (origin === "date") return "is too late";
  return inclusive ? `must be ${max} or less` : `must be less than ${max}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// Applied wherever zod parses, server and browser alike; schema messages keep precedence.
z.config({ customError: plainIssueMessage });

// ---- Field labels ------------------------------------------------------------------------

/** Fields whose plain name is not their key in words (the forms' labels). */
const LABELS: Record<string, string> = {
  approvalLimitMinor: "Approval limit",
  approvalLimit: "Approval limit",
  approvalLimitCurrency: "Approval limit currency",
  creditLimitMinor: "Credit limit",
  creditLimit: "Credit limit",
  unitPriceMinor: "Price",
  unitPrice: "Price",
  prices: "List prices",
  rates: "Exchange rates",
  membershipId: "Member",
  roleId: "Role",
  branchId: "Branch",
  parentId: "Parent branch",
  newParentId: "New parent branch",
  addressId: "Address",
  orderId: "Order",
  expiresAt: "Expiry date",
  roleName: "Role",
  newEmail: "New email address",
  email: "Email address",
  currentPassword: "Current password",
  newPassword: "New password",
  confirm: "Password confirmation",
  code: "Code",
  sku: "SKU",
  lines: "Order lines",
  requestedDeliveryDate: "Requested delivery date",
  shipToAddressId: "Ship-to address",
  postalCode: "Postal code",
  line1: "Address line 1",
  line2: "Address line 2",
  requireMfa: "Require two-step verification",
  ids: "Selection",
  // An intake channel's "flag it when nothing arrives for" setting (the CLI's --expected-interval).
  expectedIntervalSeconds: "Quiet-channel alert interval (seconds)",
  input: "The form",
};

/** The field's name as a person reads it: "lines.0.quantity" → "Line 1 quantity". */
export function labelForField(field: string, labels: Record<string, string> = {}): string {
  if (labels[field]) return labels[field];
  if (LABELS[field]) return LABELS[field];
  const parts = field.split(".").filter(Boolean);
  if (parts.length === 0) return "The form";
  const words: string[] = [];
  parts.forEach((part, i) => {
    if (/^\d+$/.test(part)) {
      const owner = words.pop() ?? "Entry";
      words.push(`${singular(owner)} ${Number(part) + 1}`);
    } else words.push(i === 0 ? (labels[part] ?? humanize(part)) : humanize(part).toLowerCase());
  });
  return capitalize(words.join(" "));
}

function singular(label: string): string {
  if (label === "Order lines") return "Line";
  return label.endsWith("s") ? label.slice(0, -1) : label;
}

function humanize(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const bare = key.replace(/(Minor|Id|Ids)$/, "") || key;
  return capitalize(bare.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase());
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A field and its reason as one sentence. A reason a command already wrote as a sentence (it
 * starts with a capital) is kept as it is.
 */
export function describeFieldProblem(field: string, reason: string, labels?: Record<string, string>): string {
  const text = reason.trim();
  // A reason that quotes what was typed ("12,50" is not an amount) gets the field in front.
  const sentence = /^[A-Z]/.test(text) ? text : /^["“']/.test(text) ? `${labelForField(field, labels)}: ${text}` : `${labelForField(field, labels)} ${text}`;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Every reason of a field-errors map as such a sentence, for the dashboard's forms. */
export function describeFieldErrorsForPeople(fieldErrors: Record<string, string[]>, labels?: Record<string, string>): Record<string, string[]> {
  // A plain object, built with fromEntries (which defines every key as its own, "__proto__" too):
  // this crosses to client components, and React refuses objects with a null prototype.
  return Object.fromEntries(Object.entries(fieldErrors).map(([field, reasons]) => [field, reasons.map((r) => describeFieldProblem(field, r, labels))]));
}
