import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as resourceTypes from "@/app/api/scim/v2/ResourceTypes/route";
import * as resourceType from "@/app/api/scim/v2/ResourceTypes/[id]/route";
import * as schemas from "@/app/api/scim/v2/Schemas/route";
import * as schemaItem from "@/app/api/scim/v2/Schemas/[id]/route";
import * as spc from "@/app/api/scim/v2/ServiceProviderConfig/route";
import { scimTokens } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, StepUpRequiredError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { createScimTokenCommand } from "@/lib/scim/tokens/create-scim-token";
import { listScimTokens } from "@/lib/scim/tokens/list-scim-tokens";
import { revokeScimTokenCommand } from "@/lib/scim/tokens/revoke-scim-token";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { getDb } from "@/db/client";
import { operatorDb } from "../support/as-operator";
import { makeMember, makeOrg, meta } from "../support/factories";
import { callScim, makeScimToken } from "../support/scim-client";

describe("SCIM tokens", () => {
  it("are stored hashed, shown once, listed without the secret, and a revoked one is 401 on the next request", async () => {
    const org = await makeOrg("Scim Tokens Co");
    const created = await makeScimToken(org.operator, "Okta");
    expect(created.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    const [row] = await operatorDb().select().from(scimTokens).where(eq(scimTokens.id, created.id));
    expect(row!.tokenHash).not.toContain(created.token);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(12));
    expect((await callScim(spc.GET, created.token, "GET", "/ServiceProviderConfig")).status).toBe(200);
    const listed = await readAs(org.operator, (tx) => listScimTokens(tx, org.operator));
    expect(listed.map((t) => [t.name, t.revokedAt])).toEqual([["Okta", null]]);
    expect(listed[0]!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await runCommand(revokeScimTokenCommand, org.operator, meta, { tokenId: created.id });
    const refused = await callScim(spc.GET, created.token, "GET", "/ServiceProviderConfig");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(await refused.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
    const audited = await operatorDb().execute<{ action: string; actor_type: string }>(sql`select action, actor_type from audit_events where org_id = ${org.id} and action like 'scim.token.%' order by occurred_at`);
    expect(audited.map((a) => a.action)).toEqual(["scim.token.created", "scim.token.revoked"]);
  });

  it("no token, a mistyped one, or an API token is 401; an API token never opens SCIM, nor a SCIM token the REST API", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const { token: apiToken } = await runCommand(createApiTokenCommand, org.operator, meta, { email: admin.email });
    const { token } = await makeScimToken(org.operator);
    expect((await callScim(spc.GET, null, "GET", "/ServiceProviderConfig")).status).toBe(401);
    expect((await callScim(spc.GET, `${token}x`, "GET", "/ServiceProviderConfig")).status).toBe(401);
    expect((await callScim(spc.GET, apiToken, "GET", "/ServiceProviderConfig")).status).toBe(401);
    expect(await resolveApiToken(getDb(), token)).toBeNull();
  });

  it("creating or revoking a token needs org:manage with a recent second factor: a password-only admin, an API token and a manager are refused", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const manager = await makeMember(org.operator, { roleName: "Manager" });
    const staleAdmin = { ...admin.principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(Date.now() - 3_600_000), mfaVerifiedAt: new Date(Date.now() - 3_600_000) } };
    await expect(runCommand(createScimTokenCommand, staleAdmin, meta, {})).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(runCommand(createScimTokenCommand, manager.principal, meta, {})).rejects.toBeInstanceOf(ForbiddenError);
    const { token: apiToken } = await runCommand(createApiTokenCommand, org.operator, meta, { email: admin.email });
    const asToken = (await resolveApiToken(getDb(), apiToken))!;
    await expect(runCommand(createScimTokenCommand, asToken, meta, {})).rejects.toBeInstanceOf(ForbiddenError);
    const fresh = { ...admin.principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
    const created = await runCommand(createScimTokenCommand, fresh, meta, { name: "Entra" });
    expect(created.token).toMatch(/^scim_/);
  });

  it("another org's token id is not found, and a revoked token cannot be revoked again", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const theirs = await makeScimToken(b.operator);
    await expect(runCommand(revokeScimTokenCommand, a.operator, meta, { tokenId: theirs.id })).rejects.toThrow("SCIM token not found.");
    await runCommand(revokeScimTokenCommand, b.operator, meta, { tokenId: theirs.id });
    await expect(runCommand(revokeScimTokenCommand, b.operator, meta, { tokenId: theirs.id })).rejects.toThrow(/already revoked/);
  });
});

describe("SCIM discovery", () => {
  it("ServiceProviderConfig, ResourceTypes and Schemas answer GET in application/scim+json; POST is 405", async () => {
    const org = await makeOrg();
    const { token } = await makeScimToken(org.operator);
    const config = await callScim(spc.GET, token, "GET", "/ServiceProviderConfig");
    expect(config.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(await config.json()).toMatchObject({ patch: { supported: true }, filter: { supported: true }, etag: { supported: true }, sort: { supported: true }, bulk: { supported: true } });
    const types = await (await callScim(resourceTypes.GET, token, "GET", "/ResourceTypes")).json();
    expect(types.Resources.map((t: { id: string }) => t.id)).toEqual(["User", "Group"]);
    expect((await (await callScim(resourceType.GET, token, "GET", "/ResourceTypes/User", { params: { id: "User" } })).json()).endpoint).toBe("/Users");
    const listed = await (await callScim(schemas.GET, token, "GET", "/Schemas")).json();
    expect(listed.Resources.map((s: { id: string }) => s.id)).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      "urn:ietf:params:scim:schemas:core:2.0:Group",
    ]);
    const user = await (await callScim(schemaItem.GET, token, "GET", "/Schemas/x", { params: { id: "urn:ietf:params:scim:schemas:core:2.0:User" } })).json();
    expect(user.attributes.find((a: { name: string }) => a.name === "userName")).toMatchObject({ caseExact: false, uniqueness: "server", required: true });
    expect((await callScim(schemaItem.GET, token, "GET", "/Schemas/x", { params: { id: "nope" } })).status).toBe(404);
    for (const post of [spc.POST, resourceTypes.POST, schemas.POST]) {
      const res = await callScim(post, token, "POST", "/Schemas", { body: {} });
      expect(res.status).toBe(405);
      expect((await res.json()).status).toBe("405");
    }
  });
});

describe("SCIM behind the proxy", () => {
  it("every SCIM endpoint reaches its route; an unknown SCIM path is a 404 in the SCIM Error schema", async () => {
    const { NextRequest } = await import("next/server");
    const { proxy } = await import("@/proxy");
    const ask = (pathname: string, method = "GET") => proxy(new NextRequest(`http://127.0.0.1${pathname}`, { method }));
    for (const p of ["/api/scim/v2/Users", "/api/scim/v2/Users/x", "/api/scim/v2/Groups", "/api/scim/v2/Groups/x", "/api/scim/v2/Bulk", "/api/scim/v2/Schemas", "/api/scim/v2/ServiceProviderConfig", "/api/scim/v2/ResourceTypes/User"]) {
      expect(ask(p).headers.get("x-middleware-next"), p).toBe("1");
    }
    expect(ask("/api/scim/v2/ServiceProviderConfig", "POST").headers.get("x-middleware-next")).toBe("1");
    const missing = ask("/api/scim/v2/Nothing");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(await missing.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });
});
