import { pathToFileURL } from "node:url";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "@/lib/core/errors";
import { fieldErrorsFromIssues } from "@/lib/core/input-rules";
import { describeFieldErrorsForPeople, describeFieldProblem, labelForField, plainIssueMessage } from "@/lib/core/plain-messages";
import { addGrantFormSchema } from "@/lib/grants/schemas";
import { listSourceFiles } from "../support/source-files";

/*
 * Issue 15 item 4: no zod or internal wording reaches a person. Every schema and every
 * command's input is fed wrong values field by field, and every resulting message (the field's
 * sentence a form shows, and the summary an API or the CLI shows) is checked for zod's phrasing.
 */
// zod's "expected string, received undefined"; a field that is itself called "received" (the
// delegations a member received) is a label, not that wording.
const ZOD_WORDING = /invalid input|expected |received (undefined|null|nan|number|string|boolean|object|array|bigint|date)\b|\bNaN\b|minor units|too small|too big|invalid option|invalid string/i;

const BAD_VALUES: unknown[] = [undefined, null, Number.NaN, "not a number", -1, 1.5, 1e20, "", "x".repeat(5000), "a\u0000b", true, [], [1, "x"], { nested: 1 }, "2026-02-31", "9999999-01-01", "__proto__"];

type Schema = z.ZodType;
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && "_zod" in v && typeof (v as { safeParse?: unknown }).safeParse === "function";

async function loadSchemas(): Promise<Array<{ name: string; schema: Schema }>> {
  const files = listSourceFiles()
    .filter((f) => f.file.startsWith("lib/") && (/schemas?\.ts$/.test(f.file) || f.text.includes("defineCommand(")))
    .map((f) => f.file);
  const found: Array<{ name: string; schema: Schema }> = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(mod)) {
      if (isSchema(value)) found.push({ name: `${file}: ${key}`, schema: value });
      const input = (value as { input?: unknown; run?: unknown } | null)?.input;
      if (typeof (value as { run?: unknown } | null)?.run === "function" && isSchema(input)) found.push({ name: `${file}: ${key}.input`, schema: input });
    }
  }
  return found;
}

/** The top-level keys of an object schema (through pipes and refinements), to probe field by field. */
function keysOf(schema: Schema): string[] {
  const def = (schema as { _zod: { def: { shape?: Record<string, unknown>; in?: Schema; schema?: Schema } } })._zod.def;
  if (def.shape) return Object.keys(def.shape);
  if (def.in && isSchema(def.in)) return keysOf(def.in);
  if (def.schema && isSchema(def.schema)) return keysOf(def.schema);
  return [];
}

function messagesFor(schema: Schema, input: unknown): string[] {
  let parsed: ReturnType<Schema["safeParse"]>;
  try {
    parsed = schema.safeParse(input, { error: plainIssueMessage });
  } catch (error) {
    return [`threw: ${String(error)}`];
  }
  if (parsed.success) return [];
  const fieldErrors = fieldErrorsFromIssues(parsed.error.issues);
  return [...Object.values(describeFieldErrorsForPeople(fieldErrors)).flat(), new ValidationError(fieldErrors).message];
}

describe("messages people read carry no zod or internal wording", () => {
  it("walks every schema and command input with wrong values, field by field", async () => {
    const schemas = await loadSchemas();
    expect(schemas.length).toBeGreaterThan(80);
    const offenders: string[] = [];
    let checked = 0;
    for (const { name, schema } of schemas) {
      const inputs: unknown[] = [...BAD_VALUES, ...keysOf(schema).flatMap((key) => BAD_VALUES.map((bad) => ({ [key]: bad })))];
      for (const input of inputs) {
        for (const message of messagesFor(schema, input)) {
          checked++;
          if (ZOD_WORDING.test(message) || message.startsWith("threw")) offenders.push(`${name} ← ${JSON.stringify(input)?.slice(0, 60)}: ${message.slice(0, 160)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect([...new Set(offenders)].slice(0, 30)).toEqual([]);
  });

  it("words zod's own issues plainly, and names the field as a form labels it", () => {
    const schema = z.object({ approvalLimitMinor: z.number(), email: z.email(), name: z.string().max(3), lines: z.array(z.object({ quantity: z.number().int() })) });
    const parsed = schema.safeParse({ approvalLimitMinor: Number.NaN, email: "nope", name: "long name", lines: [{ quantity: 1.5 }] }, { error: plainIssueMessage });
    expect(parsed.success).toBe(false);
    const errors = describeFieldErrorsForPeople(fieldErrorsFromIssues(parsed.error!.issues));
    expect(errors.approvalLimitMinor).toEqual(["Approval limit must be a number (digits only)."]);
    expect(errors.email).toEqual(["Email address must be an email address, such as name@example.com."]);
    expect(errors.name).toEqual(["Name must be at most 3 characters."]);
    expect(errors["lines.0.quantity"]).toEqual(["Line 1 quantity must be a whole number."]);
    expect(z.object({ a: z.string() }).safeParse({}).error!.issues[0]!.message).toBe("is required");
  });

  it("keeps a reason already written as a sentence, and puts the field before a quoted value", () => {
    expect(describeFieldProblem("name", "A branch with that name exists here.")).toBe("A branch with that name exists here.");
    expect(describeFieldProblem("prices", '"12,50" is not an amount')).toBe('List prices: "12,50" is not an amount.');
    expect(labelForField("newParentId")).toBe("New parent branch");
    expect(labelForField("someFieldId")).toBe("Some field");
  });

  it("takes the grant form's approval limit in the currency's own units", () => {
    const base = { membershipId: "00000000-0000-4000-8000-000000000001", roleId: "00000000-0000-4000-8000-000000000002", branchId: null };
    expect(addGrantFormSchema.parse({ ...base, approvalLimit: "2500.50", approvalLimitCurrency: "USD" })).toMatchObject({ approvalLimitMinor: 250050, approvalLimitCurrency: "USD" });
    expect(addGrantFormSchema.parse({ ...base, approvalLimit: "1200", approvalLimitCurrency: "JPY" })).toMatchObject({ approvalLimitMinor: 1200 });
    expect(addGrantFormSchema.parse({ ...base, approvalLimit: "" })).toMatchObject({ approvalLimitMinor: null });
    const wrong = addGrantFormSchema.safeParse({ ...base, approvalLimit: "12,50", approvalLimitCurrency: "USD" });
    const sentence = describeFieldErrorsForPeople(fieldErrorsFromIssues(wrong.error!.issues)).approvalLimit![0]!;
    expect(sentence).toMatch(/^Approval limit must be an amount in USD, such as 2500\.00/);
    expect(sentence).not.toMatch(ZOD_WORDING);
    const noCurrency = addGrantFormSchema.safeParse({ ...base, approvalLimit: "10" });
    expect(fieldErrorsFromIssues(noCurrency.error!.issues).approvalLimitCurrency).toEqual(["is needed with an approval limit: a three-letter code such as USD"]);
  });
});
