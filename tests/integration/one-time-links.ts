import { and, asc, eq, sql } from "drizzle-orm";
import { oneTimeTokens } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { signInCommand } from "@/lib/identity/sign-in";
import { asOperator } from "../support/as-operator";
import { meta, TEST_PASSWORD } from "../support/factories";

/** Shared by the reset, invitation and member-security tests. */
export const anonymous = anonymousPrincipal();

/** The secret a mailed link carries (its `token` query value). */
export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get("token");
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** Opens a real session the way the sign-in form does; returns the cookie's secret. */
export async function openSession(email: string, password = TEST_PASSWORD): Promise<string> {
  return (await runCommand(signInCommand, anonymous, meta, { email, password })).sessionToken;
}

/** Every audit row, as the JSON someone reading the trail (or an export) would see. */
export async function allAuditJson(): Promise<string> {
  const rows = await asOperator((tx) => tx.execute(sql`select * from audit_events order by id`));
  return JSON.stringify(rows);
}

export async function auditRows(action: string) {
  return asOperator((tx) => tx.execute<{ org_id: string | null; actor_type: string; actor_id: string | null; actor_label: string; target_id: string | null; outcome: string; metadata: Record<string, unknown> }>(
    sql`select org_id, actor_type, actor_id, actor_label, target_id, outcome, metadata from audit_events where action = ${action} order by id`,
  ));
}

export async function tokenRows(userId: string, purpose: "password_reset" | "invitation" | "email_change") {
  return asOperator((tx) =>
    tx
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose)))
      .orderBy(asc(oneTimeTokens.createdAt), asc(oneTimeTokens.expiresAt)),
  );
}
