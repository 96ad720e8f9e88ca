"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors, FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import { describeFieldProblem, plainIssueMessage } from "@/lib/core/plain-messages";

/**
 * zodResolver whose messages name their field ("Name must be at most 60 characters."), the
 * same sentences the server's answers carry (lib/core/plain-messages.ts, which also words every
 * issue a schema left to zod).
 */
export function plainResolver<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, labels?: Record<string, string>) {
  const resolve = zodResolver(schema as never, { error: plainIssueMessage } as never) as unknown as Resolver<FieldValues, unknown, FieldValues>;
  const named: Resolver<FieldValues, unknown, FieldValues> = async (values, context, options) => {
    const result = await resolve(values, context, options);
    nameFields(result.errors, "", labels);
    return result;
  };
  return named as unknown as Resolver<z.input<S>, unknown, z.output<S>>;
}

function nameFields(errors: FieldErrors, path: string, labels?: Record<string, string>): void {
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== "object") continue;
    const field = path ? `${path}.${key}` : key;
    const entry = value as { message?: unknown; type?: unknown; ref?: unknown };
    if (typeof entry.message === "string" && "type" in entry) entry.message = describeFieldProblem(field === "root" ? "" : field, entry.message, labels);
    else if (key !== "ref") nameFields(value as FieldErrors, field, labels);
  }
}
