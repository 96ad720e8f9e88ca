import { z } from "zod";
import { explainRequestSchema } from "@/lib/access/explain-member-access";
import { allPermissions } from "@/lib/access/permissions";
import { instantSchema } from "@/lib/core/input-rules";
import { createBranchSchema, moveBranchSchema, renameBranchSchema } from "@/lib/branches/schemas";
import { addGrantSchema } from "@/lib/grants/schemas";
import { createRoleSchema, updateRoleSchema } from "@/lib/roles/schemas";
import { PROBLEM_CONTENT_TYPE } from "./problem";

type JsonSchema = z.core.JSONSchema.BaseSchema;

/*
 * Branches, roles, grants and access explanations: the write side of /api/v1 plus one read.
 * Request bodies are generated from the schemas the commands validate with (input side: what a
 * client sends, defaults optional). Responses are the small objects the routes return.
 */

// The PATCH body of /api/v1/branches/{id}: a rename and/or a move, one command (branch.updated).
export const updateBranchBodySchema = z.strictObject({
  name: renameBranchSchema.shape.name.optional().describe("New name, unique among the branch's siblings where it ends up."),
  parentId: moveBranchSchema.shape.newParentId.optional().describe("New parent branch id, or null for the top of the tree; moves the whole subtree."),
});
export const updateRoleBodySchema = updateRoleSchema.omit({ roleId: true });

const permission = z.enum(allPermissions as [string, ...string[]]);
const grantRefSchema = z.object({
  grantId: z.string().describe("Empty for the operator, who holds no grant."),
  roleName: z.string(),
  branchId: z.uuid().nullable(),
  branchName: z.string().describe('"the whole organization" for a grant at the root.'),
});

export const branchCreatedSchema = z.object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable() });
export const resourceIdSchema = z.object({ id: z.uuid() });
export const roleDeletedSchema = z.object({ id: z.uuid(), grantsAffected: z.number().int().describe("Grants that used the role: revoked or reassigned, as `grants` said.") });
export const accessExplanationSchema = z.object({
  member: z.object({ membershipId: z.uuid(), email: z.string() }),
  target: z.object({ type: z.enum(["organization", "branch", "order"]), id: z.uuid().nullable(), name: z.string() }),
  explanation: z.discriminatedUnion("allowed", [
    z.object({
      allowed: z.literal(true),
      permission,
      grant: grantRefSchema.describe("The broadest grant that covers the target."),
      via: z.array(z.string()).describe('The role chain that carries the permission, e.g. ["Manager", "Buyer"].'),
      conditions: z.array(z.string()).describe("Expiry and, for orders:approve, the approval limit."),
    }),
    z.object({
      allowed: z.literal(false),
      permission,
      reason: z.string(),
      elsewhere: z.array(grantRefSchema).describe("Grants that carry the permission for other parts of the branch tree."),
    }),
  ]),
});

export function registerAccessSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(branchCreatedSchema, { id: "BranchCreated" });
  registry.add(resourceIdSchema, { id: "ResourceId" });
  registry.add(roleDeletedSchema, { id: "RoleDeleted" });
  registry.add(accessExplanationSchema, { id: "AccessExplanation" });
}

/** Path items, typed loosely: the operations are checked by the OpenAPI tests, not by callers' casts. */
export type PathItems = Record<string, Record<string, unknown>>;

export function buildAccessPaths(): PathItems {
  const responses = (ok: Record<string, unknown>, forbidden: string, options: { body?: boolean; conflict?: string } = {}) => ({
    ...ok,
    "401": { $ref: "#/components/responses/Unauthorized" },
    "403": problem(forbidden),
    "404": { $ref: "#/components/responses/NotFound" },
    ...(options.conflict ? { "409": problem(options.conflict) } : {}),
    ...(options.body === false ? {} : { "413": problem("The JSON body is larger than 64 KiB.") }),
    "422": { $ref: "#/components/responses/ValidationFailed" },
    "500": { $ref: "#/components/responses/InternalError" },
  });
  const secured = { security: [{ bearerAuth: [] }] };
  const idParam = (what: string) => [{ name: "id", in: "path", required: true, description: `The ${what}'s id.`, schema: { type: "string", format: "uuid" } }];
  return {
    "/api/v1/branches": {
      post: {
        operationId: "createBranch",
        summary: "Adds a branch under a parent, or at the top of the tree (branches:manage at the parent). Audited as `branch.created`.",
        ...secured,
        requestBody: body(createBranchSchema),
        responses: responses({ "201": json("The new branch.", "BranchCreated") }, "The token's member lacks branches:manage at the parent.", { conflict: "A sibling already has this name." }),
      },
    },
    "/api/v1/branches/{id}": {
      patch: {
        operationId: "updateBranch",
        summary: "Renames and/or moves a branch with its subtree (branches:manage where it is and where it goes), in one transaction. Audited once as `branch.updated`, with name and parent before and after.",
        description:
          "Give `name`, `parentId` or both; if any part is refused, nothing changes. A move rewrites the paths of the whole subtree, and the access its grants give moves with it. A move is refused (403) when the token's member would gain permissions over the branch from their own grants above the new parent that they do not hold at the branch now.",
        ...secured,
        parameters: idParam("branch"),
        requestBody: body(updateBranchBodySchema),
        responses: responses({ "200": json("The branch was changed.", "ResourceId") }, "The token's member lacks branches:manage at the branch or at the new parent, or the move would give them more over the branch than they hold there now.", { conflict: "A sibling already has this name." }),
      },
    },
    "/api/v1/roles": {
      post: {
        operationId: "createRole",
        summary: "Creates a role with direct permissions and inherited roles (roles:manage at the organization root). Audited as `role.created`.",
        description: "Inheritance must stay acyclic, and the role may never carry a permission the token's member does not hold at the organization root.",
        ...secured,
        requestBody: body(createRoleSchema),
        responses: responses({ "201": json("The new role.", "ResourceId") }, "Lacks roles:manage, or the role would carry more than the member holds.", { conflict: "A role with this name exists." }),
      },
    },
    "/api/v1/roles/{id}": {
      patch: {
        operationId: "updateRole",
        summary: "Replaces a role's definition: name, description, permissions and inherited roles (roles:manage at the organization root). Audited as `role.updated`.",
        description:
          "The role may carry only permissions the token's member holds at the organization root. Adding an admin-class permission to a role in use (granted, or inherited by a granted role) needs a second-factor step-up, so an API token is refused with 403: do it from the dashboard.",
        ...secured,
        parameters: idParam("role"),
        requestBody: body(updateRoleBodySchema),
        responses: responses({ "200": json("The role was changed.", "ResourceId") }, "Lacks roles:manage, or the role would carry more than the member holds.", { conflict: "A role with this name exists." }),
      },
      delete: {
        operationId: "deleteRole",
        summary: "Deletes a role (roles:manage at the organization root). Audited as `role.deleted`.",
        description: "Moving the grants to a role with admin-class permissions the deleted one lacked needs a second-factor step-up, so an API token is refused with 403.",
        ...secured,
        parameters: [
          ...idParam("role"),
          {
            name: "grants",
            in: "query",
            required: false,
            description: "Required when grants use the role: `revoke` them, or the id of another role to move them to (which must hold no more than the member does at the organization root).",
            schema: { type: "string" },
          },
        ],
        responses: responses({ "200": json("The role was deleted.", "RoleDeleted") }, "Lacks roles:manage, or the role to reassign to carries more than the member holds.", { body: false, conflict: "Other roles inherit this one." }),
      },
    },
    "/api/v1/grants": {
      post: {
        operationId: "addGrant",
        summary: "Grants a member a role at a branch (its subtree) or the whole organization (users:manage there). Audited as `grant.added`.",
        description: "Delegation cannot escalate: the token's member must hold every permission the role carries, at that branch.",
        ...secured,
        requestBody: body(addGrantSchema),
        responses: responses({ "201": json("The new grant.", "ResourceId") }, "Lacks users:manage at the branch, or the role carries more than the member holds there."),
      },
    },
    "/api/v1/grants/{id}": {
      delete: {
        operationId: "revokeGrant",
        summary: "Revokes a grant; the member loses it on their next request (users:manage at its branch, never one's own). Audited as `grant.revoked`.",
        ...secured,
        parameters: idParam("grant"),
        responses: responses({ "200": json("The grant was revoked.", "ResourceId") }, "Lacks users:manage at the grant's branch, or the grant is the token's own.", { body: false }),
      },
    },
    "/api/v1/access/explain": {
      post: {
        operationId: "explainAccess",
        summary: "May this member use this permission on this target, and which grant and role chain say so? A read: it changes nothing.",
        description:
          "Give the member by `membershipId` or `email`, and a `branchId` or an `orderId` (neither: the organization root). Explaining another member needs users:read over the target. A branch or order the token's member may not read answers 404, exactly like an unknown id; another member's grants outside the token's users:read are counted in the reason, never described.",
        ...secured,
        requestBody: body(explainRequestSchema),
        responses: responses({ "200": json("The explanation: allowed with grant, `via` and conditions, or denied with the reason.", "AccessExplanation") }, "Explaining another member's access needs users:read over the target."),
      },
    },
  };
}

/** A JSON request body from the zod schema's input side; dates travel as ISO 8601 strings. */
function body(schema: z.ZodType) {
  const generated = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      // The shared instant rule takes a Date (the CLI) or text; over HTTP it is only ever text.
      if (ctx.zodSchema === instantSchema) for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
      if (ctx.zodSchema === instantSchema || ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as JsonSchema;
  delete generated.$schema;
  return { required: true, content: { "application/json": { schema: generated } } };
}

const json = (description: string, name: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } });
