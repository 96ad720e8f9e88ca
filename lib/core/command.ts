// Server code only: Next fails the build of any client bundle that imports this (see packages/server-only).
import "server-only";
import type { z } from "zod";
import { getDb, type Db, type Tx } from "@/db/client";
import { applyTenantScope, withTenantScope, type TenantScope } from "@/db/tenant-scope";
import { can, holdsAnywhere, permissionsAt } from "@/lib/access/access";
import type { Permission } from "@/lib/access/permissions";
import { appendAuditEvent, sendAuditAppend, type AppendedEvent, type AuditEventInput, type AuditOutcome } from "@/lib/audit/append-audit-event";
import { writeCheckpoint } from "@/lib/audit/checkpoint";
import { appendSignInFanOut, sendSignInFanOut } from "@/lib/audit/fan-out-sign-in";
import type { Actor, Principal, RequestMeta } from "./context";
import type { CommandTx } from "./command-tx";
import { tenantScopeOf } from "./read-as";
import { assertMfaPassedFor, assertStepUp, type StepUpKind, type StepUpOptions } from "./step-up";
import { conflictFromUniqueViolation } from "./unique-violation";
import { AppError, ForbiddenError, HiddenTargetError, NotFoundError, RateLimitedError, UnauthorizedError, ValidationError, type FieldErrors } from "./errors";
import { assertCleanInput, fieldErrorsFromIssues } from "./input-rules";
import { plainIssueMessage } from "./plain-messages";

/**
 * Who may start a command before it looks at its input:
 * - a permission the member must hold somewhere in the org (the body then checks the target);
 * - "system": only the operator (CLI, seed, workers);
 * - "authenticated": any signed-in actor, acting on themselves;
 * - "public": anyone (sign-in).
 */
export type CommandAccess = { permission: Permission } | "system" | "authenticated" | "public";

export interface CommandContext {
  /** Write helpers take it (lib/core/command-tx.ts), so only a command's body can call them. */
  tx: CommandTx;
  principal: Principal;
  meta: RequestMeta;
  /**
   * Passes when the principal holds `permission` at `branchPath` ("" = org level). Otherwise a
   * target they cannot see at all is "not found" (404) and a visible one is forbidden (403);
   * both are recorded as denials. An admin-class permission also needs a session that has
   * passed MFA (assertMfaPassedFor).
   */
  authorize(permission: Permission, branchPath: string, what?: string): void;
  /** For commands that are sensitive only for some inputs (granting an admin-class role). */
  requireStepUp(kind: StepUpKind, options?: StepUpOptions): void;
}

export interface CommandOutcome<O> {
  result: O;
  /** The actor to record when the command establishes who is acting (sign-in). */
  actor?: Actor;
  /** Overrides the org the event is filed under (commands that create an org). */
  orgId?: string;
  /** `label` names the target for readers (order number, branch name, member email). */
  target?: { type: string; id: string; label?: string | null };
  /** The branch the target belongs to, so the audit trail can be filtered by part of the tree. */
  branchId?: string | null;
  /** What changed (before/after); never a secret. */
  metadata?: Record<string, unknown>;
  /** For commands whose whole job is to record a refusal seen elsewhere (a rejected token). */
  outcome?: AuditOutcome;
  /**
   * The orgs where the acting person is an active member, when a public command's body already
   * read them in its transaction (sign-in reads them while the hash runs): the sign-in fan-out
   * then files the event on their chains without reading them again.
   */
  memberOrgIds?: string[];
}

export interface CommandDefinition<S extends z.ZodType, O> {
  /** The audit action, a dotted verb such as "order.created". */
  name: string;
  /** When the action is recorded, for the action vocabulary in docs/audit-events.md (`npm run docs`). */
  description?: string;
  access: CommandAccess;
  input: S;
  /** Audit action recorded when the command is refused (defaults to "access.denied"). */
  deniedAction?: string;
  /** A sensitive command: the actor must have stepped up recently (lib/core/step-up.ts). */
  stepUp?: { kind: StepUpKind } & StepUpOptions;
  /** The few commands a half-signed-in session may run: the second factor and MFA enrollment. */
  duringSignIn?: boolean;
  run(ctx: CommandContext, input: z.output<S>): Promise<CommandOutcome<O>>;
}

const registry = new Map<string, CommandDefinition<z.ZodType, unknown>>();

/** Declares a command. Every write in the app is one of these. */
export function defineCommand<S extends z.ZodType, O>(def: CommandDefinition<S, O>): CommandDefinition<S, O> {
  registry.set(def.name, def as unknown as CommandDefinition<z.ZodType, unknown>);
  return def;
}

export function listRegisteredCommands(): string[] {
  return [...registry.keys()].sort();
}

/**
 * The one path for every change: authorize, validate, run in one transaction, append the audit
 * event in that same transaction, then return the result or throw a typed error. A refusal is
 * recorded in a transaction of its own, since the command's own was rolled back, except when a
 * check marked it `commitsWithRefusal` (a counted failed attempt): then both commit together.
 */
export async function runCommand<S extends z.ZodType, O>(
  command: CommandDefinition<S, O>,
  principal: Principal,
  meta: RequestMeta,
  rawInput: unknown,
  db: Db = getDb(),
): Promise<O> {
  try {
    assertMayStart(command.access, principal);
    if (principal.pendingSignIn && !command.duringSignIn) throw new ForbiddenError("Finish signing in first.");
    if (typeof command.access === "object") assertMfaPassedFor(principal, command.access.permission);
    if (command.stepUp) assertStepUp(principal, command.stepUp.kind, command.stepUp);
    const input = parseInput(command.input, rawInput);
    let refusedWithWrites: AppError | null = null;
    let sent: SentAppend | null = null;
    const result = await db.transaction(async (tx) => {
      await applyTenantScope(tx, commandScope(command.access, principal));
      const ctx: CommandContext = {
        // The one place a transaction becomes a command's: see lib/core/command-tx.ts.
        tx: tx as CommandTx,
        principal,
        meta,
        authorize: (permission, path, what) => {
          authorizeAt(principal, permission, path, what);
          assertMfaPassedFor(principal, permission);
        },
        requireStepUp: (kind, options) => assertStepUp(principal, kind, options),
      };
      let outcome: CommandOutcome<O>;
      try {
        outcome = await command.run(ctx, input);
      } catch (error) {
        if (!(error instanceof AppError && error.commitsWithRefusal)) throw error;
        // A failed credential check counted the failure in this transaction: keep it, with the
        // refusal on record beside it, so the two become visible together.
        await appendRefusal(tx, command, principal, meta, error);
        refusedWithWrites = error;
        return null;
      }
      sent = await sendCommandEvent(tx, {
        orgId: outcome.orgId ?? principal.org?.id ?? null,
        actor: outcome.actor ?? principal.actor,
        action: command.name,
        target: outcome.target,
        branchId: outcome.branchId,
        outcome: outcome.outcome ?? "success",
        meta,
        metadata: outcome.metadata,
      }, command.access === "public" ? outcome.memberOrgIds : undefined);
      return outcome.result;
    }).catch((error: unknown) => {
      // A race past the body's own uniqueness check: the same 409, naming the field, never a 500.
      throw conflictFromUniqueViolation(error) ?? error;
    });
    if (refusedWithWrites) throw refusedWithWrites;
    if (sent) await settleAppend(sent, db);
    return result as O;
  } catch (error) {
    const alreadyRecorded = error instanceof AppError && error.commitsWithRefusal;
    if (error instanceof AppError && !alreadyRecorded && (REFUSALS.has(error.code) || error instanceof HiddenTargetError)) {
      await recordRefusal(db, command, principal, meta, error);
    }
    throw error;
  }
}

// Outcomes recorded as denials; a validation error or a conflict is not a refusal of the actor.
const REFUSALS = new Set<string>(["forbidden", "unauthorized", "rate_limited", "step_up_required"]);

// Public commands (sign-in, a rejected token) are the authentication step itself: they must look
// across orgs before anyone is known. Everything else acts inside the principal's org.
function commandScope(access: CommandAccess, principal: Principal): TenantScope {
  return access === "public" ? { orgId: principal.org?.id ?? null, userId: null, bypass: true } : tenantScopeOf(principal);
}

function assertMayStart(access: CommandAccess, principal: Principal): void {
  const actor = principal.actor;
  if (access === "public") return;
  if (access === "system") {
    if (actor.type !== "system") throw new ForbiddenError("Only the operator can do that.");
    return;
  }
  if (access === "authenticated") {
    if (actor.type === "anonymous") throw new ForbiddenError("Sign-in required.");
    return;
  }
  if (!holdsAnywhere(principal.access, access.permission)) throw new ForbiddenError(undefined, access.permission);
}

export function authorizeAt(principal: Principal, permission: Permission, branchPath: string, what = "Branch"): void {
  if (can(principal.access, permission, branchPath)) return;
  const visible = permissionsAt(principal.access, branchPath);
  if (visible !== "all" && visible.size === 0) throw new HiddenTargetError(what, permission);
  throw new ForbiddenError(undefined, permission);
}

// Every transport's input passes the boundary scan here too (server actions and the CLI have
// no body reader of their own): NUL, lone surrogates and prototype keys never reach a schema.
function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  assertCleanInput(raw);
  const parsed = schema.safeParse(raw, { error: plainIssueMessage });
  if (parsed.success) return parsed.data;
  const fieldErrors: FieldErrors = fieldErrorsFromIssues(parsed.error.issues);
  throw new ValidationError(fieldErrors);
}

async function recordRefusal(db: Db, command: CommandDefinition<z.ZodType, unknown>, principal: Principal, meta: RequestMeta, error: AppError) {
  await withTenantScope(commandScope(command.access, principal), (tx) => appendRefusal(tx, command, principal, meta, error), db);
}

/** The command's event, on its org's chain; a person's sign-in event on each of their orgs' chains instead. */
async function appendEvent(tx: Tx, event: AuditEventInput): Promise<void> {
  if (await appendSignInFanOut(tx, event)) return;
  await appendAuditEvent(tx, event);
}

interface SentAppend {
  appended: Promise<AppendedEvent>;
  orgId: string | null;
}

/**
 * A successful command's event, its last append sent without waiting as the command's last
 * statement, so the COMMIT travels right behind it and the append costs no round trip of its own
 * (the result is settled after commit). A sign-in's fan-out awaits its other appends, and all of
 * them when it had to lift the tenant wall (the wall goes back up after them).
 */
async function sendCommandEvent(tx: Tx, event: AuditEventInput, memberOrgIds?: string[]): Promise<SentAppend | null> {
  const fanned = await sendSignInFanOut(tx, event, memberOrgIds);
  if (fanned) return fanned.last ? { appended: fanned.last, orgId: fanned.orgId } : null;
  return { appended: sendAuditAppend(tx, event), orgId: event.orgId };
}

/**
 * After COMMIT: a failed append had turned that COMMIT into a ROLLBACK, so its error is the
 * command's (nothing was written). A due checkpoint is signed in a transaction of its own; if that
 * fails the change stands, and the periodic checkpointer signs the heads later.
 */
async function settleAppend(sent: SentAppend, db: Db): Promise<void> {
  const appended = await sent.appended.catch((error: unknown) => {
    throw conflictFromUniqueViolation(error) ?? error;
  });
  if (!appended.checkpointDue) return;
  await withTenantScope({ orgId: sent.orgId, userId: null, bypass: false }, (tx) => writeCheckpoint(tx, sent.orgId), db).catch((error: unknown) => {
    console.error("audit: the checkpoint after an append failed; the periodic checkpointer will sign these heads", error);
  });
}

async function appendRefusal(tx: Tx, command: CommandDefinition<z.ZodType, unknown>, principal: Principal, meta: RequestMeta, error: AppError) {
  await appendEvent(tx, {
    orgId: principal.org?.id ?? null,
    actor: principal.actor,
    action: command.deniedAction ?? "access.denied",
    outcome: "denied",
    meta,
    metadata: {
      command: command.name,
      reason: error.message,
      ...((error instanceof ForbiddenError || error instanceof HiddenTargetError) && error.permission ? { permission: error.permission } : {}),
      ...(error instanceof UnauthorizedError || error instanceof RateLimitedError ? error.auditDetail : {}),
    },
  });
}

/** For bodies that load a target: not visible is reported exactly like not existing. */
export function notFound(what: string): never {
  throw new NotFoundError(what);
}
