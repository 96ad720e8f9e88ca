/**
 * SCIM's part of bench/provisioning.ts (issue 12): the /api/scim/v2 route handlers in-process
 * with a SCIM bearer token, as an IdP calls them, against an org whose SSO connection (to the
 * tests' oidc-provider on loopback) owns the users' domain.
 *
 * Each user carries the enterprise department "Sales", which the org's mapping rule turns into a
 * Buyer grant at its Sales branch, so every create also writes a grant.
 *
 * - create → sign in: POST /Users, then the person's whole SSO sign-in (start, the IdP's
 *   redirects, the callback command) and the member principal a request would build from the
 *   new session: the person is an active member who can act in the org;
 * - 10,000 users (or --scim-users) through POST /Bulk in batches of the ServiceProviderConfig's
 *   maxOperations, and through single POST /Users from 4 concurrent clients.
 */
import { runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { generateMfaEncryptionKey } from "@/lib/mfa/secret-box";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { resolveSession } from "@/lib/identity/resolve-session";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { completeOidcSignInCommand } from "@/lib/sso/oidc/complete-oidc-sign-in";
import { startSsoCommand } from "@/lib/sso/start-sso";
import { createScimTokenCommand } from "@/lib/scim/tokens/create-scim-token";
import { and, eq, sql } from "drizzle-orm";
import { startAutovacuumStandIn } from "../support/autovacuum-stand-in";
import { getDb } from "@/db/client";
import { roles } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { followToCallback, startTestIdp } from "../../tests/support/oidc-test-idp";
import { msSince, nowNs, percentile } from "../access/stats";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ScimFigures {
  domain: string;
  signins: number;
  postAlone: { p50: number; p95: number };
  createSignIn: { p50: number; p95: number };
  users: number;
  maxOperations: number;
  bulkSeconds: number;
  postsSeconds: number;
  clients: number;
  /** Whether the server had autovacuum off and the bench analyzed once a minute in its place. */
  autovacuumStandIn: boolean;
}

const CLIENTS = 4;

/** A User as Okta's SCIM test specification posts it (an owned-domain work email as userName). */
function scimUser(userName: string, department: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    userName,
    externalId: `00u${userName.split("@")[0]}`,
    name: { givenName: "Bench", familyName: "Person" },
    displayName: "Bench Person",
    emails: [{ primary: true, value: userName, type: "work" }],
    active: true,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department },
  };
}

function call(handler: unknown, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/scim+json";
  const request = new Request(`http://localhost/api/scim/v2${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return (handler as Handler)(request, { params: Promise.resolve({}) });
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what} answered ${response.status}, expected ${status}: ${(await response.text()).slice(0, 500)}`);
}

function summary(samples: number[]) {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** Runs the SCIM figures in a fresh org, `operator` being its system principal. */
export async function benchScim(operator: Principal, meta: RequestMeta, { signins, users }: { signins: number; users: number }): Promise<ScimFigures> {
  const usersRoute = await import("@/app/api/scim/v2/Users/route");
  const bulkRoute = await import("@/app/api/scim/v2/Bulk/route");
  const configRoute = await import("@/app/api/scim/v2/ServiceProviderConfig/route");
  // A session's MFA state is sealed with this key; the app refuses to start a session without one.
  process.env.MFA_ENCRYPTION_KEY ??= generateMfaEncryptionKey();
  const idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
  try {
    const connection = await runCommand(createConnectionCommand, operator, meta, { protocol: "oidc", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
    const domain = `${operator.org!.slug}.test`;
    await runCommand(addDomainCommand, operator, meta, { connectionId: connection.id, domain, verifiedByOperator: true });
    // A mapping rule as an IdP's org has one: department "Sales" → Buyer at Sales, so each user gets a grant.
    const sales = await runCommand(createBranchCommand, operator, meta, { name: "Sales" });
    const [buyer] = await withTenantScope({ orgId: operator.org!.id, userId: null, bypass: true }, (tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, operator.org!.id), eq(roles.name, "Buyer"))));
    await runCommand(addMappingCommand, operator, meta, { connectionId: connection.id, claim: "department", value: "Sales", roleId: buyer!.id, branchId: sales.id });
    const { token } = await runCommand(createScimTokenCommand, operator, meta, { name: "Bench IdP" });

    const config = await call(configRoute.GET, token, "GET", "/ServiceProviderConfig");
    await expectStatus(config, 200, "GET /ServiceProviderConfig");
    const maxOperations = ((await config.json()) as { bulk: { maxOperations: number } }).bulk.maxOperations;

    const post = async (userName: string) => expectStatus(await call(usersRoute.POST, token, "POST", "/Users", scimUser(userName, "Sales")), 201, `POST /Users ${userName}`);

    // The SSO sign-in as the person's browser makes it, then the principal the next request builds.
    const signIn = async (email: string, sub: string) => {
      idp.nextLogin = { sub, email, groups: [] };
      const started = await runCommand(startSsoCommand, anonymousPrincipal(), meta, { connectionId: connection.id });
      if (!("redirectUrl" in started)) throw new Error("SSO offered a chooser");
      const search = await followToCallback(started.redirectUrl, oidcRedirectUri());
      const done = await runCommand(completeOidcSignInCommand, anonymousPrincipal(), meta, { search });
      if (done.purpose !== "sign-in" || done.pending) throw new Error(`SSO sign-in did not finish: ${JSON.stringify(done)}`);
      const session = await resolveSession(getDb(), done.sessionToken);
      if (!session) throw new Error("the new session does not resolve");
      const member = await loadMemberPrincipal(getDb(), { type: "user", userId: session.userId, label: session.email }, operator.org!.slug, { id: session.sessionId, reauthenticatedAt: session.reauthenticatedAt, mfaVerifiedAt: session.mfaVerifiedAt });
      if (member?.org?.id !== operator.org!.id) throw new Error(`${email} is not an active member after SSO sign-in`);
    };

    // Warm-up (first use of the connection: discovery and keys), not counted.
    await post(`warm@${domain}`);
    await signIn(`warm@${domain}`, "warm");
    const alone: number[] = [];
    const whole: number[] = [];
    for (let i = 0; i < signins; i++) {
      const email = `signin-${i}@${domain}`;
      const start = nowNs();
      await post(email);
      alone.push(msSince(start));
      await signIn(email, `sub-${i}`);
      whole.push(msSince(start));
    }

    // The machine's PostgreSQL runs with autovacuum off, so a table the bench fills from empty is
    // never analyzed: the plans cached on the pool's connections while it was empty (a scan of
    // the whole table, reasonable then) stay, and each create read all of scim_users and
    // audit_events' shard heads (5.7 and 15.7 ms a call at 6,000 users). Where autovacuum is
    // off, the bench stands in for its default (an ANALYZE a minute of the tables it changes),
    // and says so; where it is on, autovacuum does it.
    const standIn = await startAutovacuumStandIn(process.env.DATABASE_URL!, ["users", "memberships", "grants", "scim_users", "scim_mapped_grants", "audit_events"]);
    // Bulk: batches of maxOperations POSTs, each operation its own command. No failOnErrors: with
    // it the server runs operations one by one (to stop exactly there); every answer is checked below.
    const bulkStart = nowNs();
    for (let done = 0; done < users; done += maxOperations) {
      const n = Math.min(maxOperations, users - done);
      const Operations = Array.from({ length: n }, (_, k) => ({ method: "POST", path: "/Users", bulkId: `b${done + k}`, data: scimUser(`bulk-${done + k}@${domain}`, "Sales") }));
      const res = await call(bulkRoute.POST, token, "POST", "/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations });
      await expectStatus(res, 200, "POST /Bulk");
      const answered = ((await res.json()) as { Operations: { status: string; response?: unknown }[] }).Operations;
      const failed = answered.filter((o) => o.status !== "201");
      if (answered.length !== n || failed.length > 0) throw new Error(`POST /Bulk: ${answered.length} of ${n} answered, ${failed.length} not 201: ${JSON.stringify(failed[0])}`);
    }
    const bulkSeconds = msSince(bulkStart) / 1000;

    // Single POSTs, CLIENTS at a time, each client taking the next user as it finishes one.
    let next = 0;
    const postsStart = nowNs();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < users; i = next++) await post(`single-${i}@${domain}`);
      }),
    );
    const postsSeconds = msSince(postsStart) / 1000;
    await standIn.stop();

    // Every person the bench provisioned is an active member holding the mapped grant.
    const expected = 1 + signins + 2 * users;
    const [held] = await withTenantScope({ orgId: operator.org!.id, userId: null, bypass: true }, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int as n from memberships m join grants g on g.membership_id = m.id where m.org_id = ${operator.org!.id} and m.status = 'active' and g.branch_id = ${sales.id} and g.role_id = ${buyer!.id}`),
    );
    if (held?.n !== expected) throw new Error(`expected ${expected} active members with the mapped grant, found ${held?.n}`);

    return { domain, signins, postAlone: summary(alone), createSignIn: summary(whole), users, maxOperations, bulkSeconds, postsSeconds, clients: CLIENTS, autovacuumStandIn: standIn.active };
  } finally {
    await idp.close();
  }
}

