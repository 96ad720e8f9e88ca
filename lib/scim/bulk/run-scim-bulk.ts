import type { CommandDefinition } from "@/lib/core/command";
import type { RequestMeta } from "@/lib/core/context";
import { deliverMessage } from "@/lib/identity/deliver-message";
import type { PendingMail } from "@/lib/identity/request-password-reset";
import type { z } from "zod";
import { createScimGroupCommand } from "../groups/create-scim-group";
import { deleteScimGroupCommand } from "../groups/delete-scim-group";
import { updateScimGroupCommand } from "../groups/update-scim-group";
import { toScimError } from "../http/scim-response";
import { ScimError } from "../scim-error";
import { createScimUserCommand } from "../users/create-scim-user";
import { deleteScimUserCommand } from "../users/delete-scim-user";
import { updateScimUserCommand } from "../users/update-scim-user";
import { BULK_RESPONSE_SCHEMA, type BulkOperation, type BulkRequest } from "./read-bulk-request";

/** Runs one command as the caller (the route handler binds the principal, meta and database). */
export type RunScimCommand = <S extends z.ZodType, O>(command: CommandDefinition<S, O>, input: unknown) => Promise<O>;

interface OpResult {
  method: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status: string;
  response?: unknown;
}

const BULK_REF = /^bulkId:(.+)$/;
// Within the app's pool (postgres.js, 10 connections) and the machine's cores: more only queue.
const CONCURRENT_CREATES = 4;

/**
 * RFC 7644 §3.7: each operation is its own command (its own transaction and audit event), run in
 * order; `bulkId:x` in a path or anywhere in data is replaced by the id that operation x created.
 * An operation whose reference is not created yet waits for a later pass; one that can never be
 * resolved (unknown, failed or circular) fails with 409. After `failOnErrors` errors the rest are
 * not run. Independent creates run a few at a time; the answer lists operations in request order.
 */
export async function runScimBulk(request: BulkRequest, run: RunScimCommand, meta: RequestMeta) {
  const created = new Map<string, string>();
  const failedIds = new Set<string>();
  const results = new Map<number, OpResult>();
  let errors = 0;
  let pending = [...request.operations];
  const stopped = () => request.failOnErrors !== undefined && errors >= request.failOnErrors;
  const record = (op: BulkOperation, result: OpResult) => {
    results.set(op.index, result);
    if (Number(result.status) >= 400) {
      errors++;
      if (op.bulkId) failedIds.add(op.bulkId);
    }
  };
  let batch: BulkOperation[] = [];
  const flush = async () => {
    const running = batch;
    batch = [];
    const done = await Promise.all(running.map((op) => runOne(op, created, run, meta)));
    running.forEach((op, i) => record(op, done[i]!));
  };
  while (pending.length && !stopped()) {
    const waiting: BulkOperation[] = [];
    // The bulkIds that waiting operations touch: a later operation on the same ones waits too,
    // so operations on one resource keep the order the client sent them in.
    const blocked = new Set<string>();
    for (const op of pending) {
      if (stopped()) break;
      const refs = referencesOf(op);
      const unresolved = refs.some((r) => !created.has(r) && !failedIds.has(r) && request.operations.some((o) => o.bulkId === r && o !== op));
      // (The operation creating a bulkId never waits for those that reference it.)
      if (unresolved || refs.some((r) => blocked.has(r))) {
        waiting.push(op);
        for (const r of op.bulkId ? [...refs, op.bulkId] : refs) blocked.add(r);
        continue;
      }
      // Creates that reference nothing are independent: up to CONCURRENT_CREATES of them run at
      // once (each still its own command). With failOnErrors they run one by one, so the count
      // of errors stops the request exactly where the client asked.
      if (op.method === "POST" && refs.length === 0 && request.failOnErrors === undefined) {
        batch.push(op);
        if (batch.length >= CONCURRENT_CREATES) await flush();
        continue;
      }
      await flush();
      record(op, await runOne(op, created, run, meta));
    }
    await flush();
    // No progress: what still waits references itself in a circle.
    if (waiting.length === pending.length) {
      for (const op of waiting) {
        results.set(op.index, failure(op, new ScimError(409, "invalidValue", `A bulkId it references is never created (circular references).`), meta));
        errors++;
      }
      break;
    }
    pending = waiting;
  }
  const Operations = request.operations.filter((op) => results.has(op.index)).map((op) => results.get(op.index)!);
  return { schemas: [BULK_RESPONSE_SCHEMA], Operations };
}

async function runOne(op: BulkOperation, created: Map<string, string>, run: RunScimCommand, meta: RequestMeta): Promise<OpResult> {
  try {
    const path = resolve(op.path, created) as string;
    const data = resolve(op.data, created);
    const [, type, id, extra] = path.split("/");
    if (extra !== undefined || (type !== "Users" && type !== "Groups")) throw new ScimError(400, "invalidPath", `"${op.path.slice(0, 100)}" is not /Users, /Groups or one of their resources.`);
    if ((op.method === "POST") !== (id === undefined)) throw new ScimError(400, "invalidPath", `${op.method} ${op.path.slice(0, 100)}: POST goes to the collection, the other methods to one resource.`);
    const user = type === "Users";
    const ifMatch = op.version;
    let outcome: { resource?: Record<string, unknown>; invitation?: PendingMail | null } = {};
    if (op.method === "POST") outcome = user ? await run(createScimUserCommand, { body: data }) : await run(createScimGroupCommand, { body: data });
    else if (op.method === "DELETE") await (user ? run(deleteScimUserCommand, { scimUserId: id, ifMatch }) : run(deleteScimGroupCommand, { scimGroupId: id, ifMatch }));
    else {
      const mode = op.method === "PUT" ? "replace" : "patch";
      outcome = user ? await run(updateScimUserCommand, { scimUserId: id, mode, body: data, ifMatch }) : await run(updateScimGroupCommand, { scimGroupId: id, mode, body: data, ifMatch });
    }
    if (outcome.invitation) await deliverMessage(outcome.invitation.to, outcome.invitation.message);
    const metaOf = outcome.resource?.meta as { location?: string; version?: string } | undefined;
    if (op.method === "POST" && op.bulkId && outcome.resource) created.set(op.bulkId, String(outcome.resource.id));
    return {
      method: op.method,
      ...(op.bulkId ? { bulkId: op.bulkId } : {}),
      ...(metaOf?.location ? { location: metaOf.location } : {}),
      ...(metaOf?.version ? { version: metaOf.version } : {}),
      status: op.method === "POST" ? "201" : op.method === "DELETE" ? "204" : "200",
    };
  } catch (error) {
    return failure(op, error, meta);
  }
}

function failure(op: BulkOperation, error: unknown, meta: RequestMeta): OpResult {
  const response = toScimError(error, meta);
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: response.status, response };
}

function referencesOf(op: BulkOperation): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      const m = BULK_REF.exec(v) ?? BULK_REF.exec(v.split("/").pop() ?? "");
      if (m) out.push(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(op.path);
  walk(op.data);
  return out;
}

/** Replaces `bulkId:x` (a whole string, or a path's last segment) by the id x created. */
function resolve(value: unknown, created: Map<string, string>): unknown {
  if (typeof value === "string") {
    const whole = BULK_REF.exec(value);
    if (whole) return lookup(whole[1]!, created);
    const segments = value.split("/");
    const last = BULK_REF.exec(segments.at(-1) ?? "");
    if (last) return [...segments.slice(0, -1), lookup(last[1]!, created)].join("/");
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, created));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, created)]));
  return value;
}

function lookup(bulkId: string, created: Map<string, string>): string {
  const id = created.get(bulkId);
  if (!id) throw new ScimError(409, "invalidValue", `bulkId "${bulkId.slice(0, 64)}" does not name a resource created in this request.`);
  return id;
}
