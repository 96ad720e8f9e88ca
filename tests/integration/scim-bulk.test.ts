import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as bulk from "@/app/api/scim/v2/Bulk/route";
import * as groupItem from "@/app/api/scim/v2/Groups/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import { operatorDb } from "../support/as-operator";
import { unique } from "../support/factories";
import { callScim } from "../support/scim-client";
import { oktaUser, scimWorld } from "../support/scim-world";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

describe("SCIM Bulk", () => {
  it("runs operations in order, resolving bulkId references (even forward ones) in data and paths; each is audited on its own", async () => {
    const w = await scimWorld();
    const res = await callScim(bulk.POST, w.token, "POST", "/Bulk", {
      body: {
        schemas: [BULK],
        Operations: [
          // References a user created further down: waits for it.
          { method: "POST", path: "/Groups", bulkId: "g1", data: { schemas: [GROUP], displayName: "Buyers", members: [{ value: "bulkId:u1" }] } },
          { method: "POST", path: "/Users", bulkId: "u1", data: oktaUser(w.domain) },
          { method: "POST", path: "/Users", bulkId: "u2", data: oktaUser(w.domain) },
          { method: "PATCH", path: "/Groups/bulkId:g1", data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: "bulkId:u2" }] }] } },
          { method: "DELETE", path: "/Users/bulkId:u2" },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.schemas, JSON.stringify(body)).toEqual(["urn:ietf:params:scim:api:messages:2.0:BulkResponse"]);
    expect(body.Operations[3].response, JSON.stringify(body.Operations[3])).toBeUndefined();
    expect(body.Operations.map((o: { method: string; status: string }) => `${o.method} ${o.status}`)).toEqual(["POST 201", "POST 201", "POST 201", "PATCH 200", "DELETE 204"]);
    expect(body.Operations[0].location).toMatch(/\/api\/scim\/v2\/Groups\/[0-9a-f-]{36}$/);
    const groupId = body.Operations[0].location.split("/").pop();
    const u1 = body.Operations[1].location.split("/").pop();
    const group = await (await callScim(groupItem.GET, w.token, "GET", `/Groups/${groupId}`, { params: { id: groupId } })).json();
    // u2 was added, then deleted: only u1 is left.
    expect(group.members.map((m: { value: string }) => m.value)).toEqual([u1]);
    const events = await operatorDb().execute<{ action: string; actor_type: string }>(sql`select action, actor_type from audit_events where org_id = ${w.org.id} and action like 'scim.%' and action not like 'scim.token.%' order by occurred_at, seq`);
    expect(events.map((e) => e.action).sort()).toEqual(["scim.group.created", "scim.group.updated", "scim.user.created", "scim.user.created", "scim.user.deleted"]);
    expect(new Set(events.map((e) => e.actor_type))).toEqual(new Set(["scim"]));
  });

  it("failOnErrors stops after that many errors; a failed operation answers in the SCIM Error schema; an unknown bulkId is 409", async () => {
    const w = await scimWorld();
    const dup = oktaUser(w.domain);
    const res = await callScim(bulk.POST, w.token, "POST", "/Bulk", {
      body: {
        schemas: [BULK],
        failOnErrors: 2,
        Operations: [
          { method: "POST", path: "/Users", bulkId: "a", data: dup },
          { method: "POST", path: "/Users", bulkId: "b", data: { ...dup, externalId: "x" } },
          { method: "PATCH", path: "/Users/bulkId:nobody", data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] } },
          { method: "POST", path: "/Users", bulkId: "c", data: oktaUser(w.domain) },
        ],
      },
    });
    const body = await res.json();
    expect(body.Operations.map((o: { status: string }) => o.status)).toEqual(["201", "409", "409"]);
    expect(body.Operations[1].response).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], scimType: "uniqueness" });
    const list = await (await callScim(userList.GET, w.token, "GET", "/Users")).json();
    expect(list.totalResults).toBe(1);
  });

  it("independent creates may run a few at a time: every one answers in request order, and a userName sent twice is created once (the other 409)", async () => {
    const w = await scimWorld();
    const users = Array.from({ length: 9 }, () => oktaUser(w.domain));
    const twice = users[3]!;
    const ops = [...users, { ...twice, externalId: "again" }].map((data, i) => ({ method: "POST", path: "/Users", bulkId: `n${i}`, data }));
    const body = await (await callScim(bulk.POST, w.token, "POST", "/Bulk", { body: { schemas: [BULK], Operations: ops } })).json();
    expect(body.Operations.map((o: { bulkId: string }) => o.bulkId)).toEqual(ops.map((o) => o.bulkId));
    expect(body.Operations.map((o: { status: string }) => o.status).sort()).toEqual([...Array(9).fill("201"), "409"]);
    const list = await (await callScim(userList.GET, w.token, "GET", "/Users?count=50")).json();
    expect(list.totalResults).toBe(9);
    expect(new Set(list.Resources.map((r: { userName: string }) => r.userName)).size).toBe(9);
  });

  it("over maxOperations is 413 and runs nothing; a malformed request is 400; another org's ids are 404 per operation", async () => {
    const w = await scimWorld();
    const other = await scimWorld("Other");
    const theirs = await callScim(userList.POST, other.token, "POST", "/Users", { body: oktaUser(other.domain) });
    const theirId = (await theirs.json()).id;
    const many = Array.from({ length: 1001 }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `u${i}`, data: oktaUser(w.domain, { userName: unique(`bulk${i}`) }) }));
    const tooMany = await callScim(bulk.POST, w.token, "POST", "/Bulk", { body: { schemas: [BULK], Operations: many } });
    expect(tooMany.status).toBe(413);
    expect((await (await callScim(userList.GET, w.token, "GET", "/Users")).json()).totalResults).toBe(0);
    expect((await callScim(bulk.POST, w.token, "POST", "/Bulk", { body: { schemas: [BULK], Operations: [{ method: "GET", path: "/Users" }] } })).status).toBe(400);
    expect((await callScim(bulk.POST, w.token, "POST", "/Bulk", { body: { Operations: [] } })).status).toBe(400);
    const cross = await callScim(bulk.POST, w.token, "POST", "/Bulk", { body: { schemas: [BULK], Operations: [{ method: "DELETE", path: `/Users/${theirId}` }, { method: "POST", path: "/Elsewhere", bulkId: "x", data: {} }] } });
    expect((await cross.json()).Operations.map((o: { status: string }) => o.status)).toEqual(["404", "400"]);
    expect((await (await callScim(userList.GET, other.token, "GET", "/Users")).json()).totalResults).toBe(1);
  });
});
