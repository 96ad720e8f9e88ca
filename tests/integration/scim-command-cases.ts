import * as groupItem from "@/app/api/scim/v2/Groups/[id]/route";
import * as groupList from "@/app/api/scim/v2/Groups/route";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import { runCommand } from "@/lib/core/command";
import { revokeScimTokenCommand } from "@/lib/scim/tokens/revoke-scim-token";
import { makeOrg, meta, unique } from "../support/factories";
import { callScim, makeScimToken } from "../support/scim-client";
import { oktaUser, scimWorld } from "../support/scim-world";

type World = Awaited<ReturnType<typeof scimWorld>>;

async function scimUser(w: World): Promise<string> {
  const res = await callScim(userList.POST, w.token, "POST", "/Users", { body: oktaUser(w.domain) });
  if (res.status !== 201) throw new Error(`POST /Users: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function scimGroup(w: World): Promise<string> {
  const res = await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: unique("group"), members: [] } });
  if (res.status !== 201) throw new Error(`POST /Groups: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function expectStatus(pending: Promise<Response>, status: number): Promise<void> {
  const res = await pending;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${await res.text()}`);
}

/** One case per SCIM command for the commands-audit table: each must append exactly one event. */
export function scimCommandCases(): Record<string, () => Promise<unknown>> {
  let world: World | null = null;
  const w = async () => (world ??= await scimWorld());
  return {
    "scim.token.created": async () => makeScimToken((await makeOrg()).operator),
    "scim.token.revoked": async () => {
      const org = await makeOrg();
      const created = await makeScimToken(org.operator);
      return runCommand(revokeScimTokenCommand, org.operator, meta, { tokenId: created.id });
    },
    "scim.user.created": async () => scimUser(await w()),
    "scim.user.updated": async () => {
      const id = await scimUser(await w());
      const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] };
      await expectStatus(callScim(userItem.PATCH, (await w()).token, "PATCH", `/Users/${id}`, { params: { id }, body }), 200);
    },
    "scim.user.deleted": async () => {
      const id = await scimUser(await w());
      await expectStatus(callScim(userItem.DELETE, (await w()).token, "DELETE", `/Users/${id}`, { params: { id } }), 204);
    },
    "scim.group.created": async () => scimGroup(await w()),
    "scim.group.updated": async () => {
      const [id, member] = [await scimGroup(await w()), await scimUser(await w())];
      const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: member }] }] };
      await expectStatus(callScim(groupItem.PATCH, (await w()).token, "PATCH", `/Groups/${id}`, { params: { id }, body }), 200);
    },
    "scim.group.deleted": async () => {
      const id = await scimGroup(await w());
      await expectStatus(callScim(groupItem.DELETE, (await w()).token, "DELETE", `/Groups/${id}`, { params: { id } }), 204);
    },
  };
}
