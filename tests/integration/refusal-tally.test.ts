import { and, asc, eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeEach, describe, expect, it } from "vitest";
import { GET as listOrders } from "@/app/api/v1/orders/route";
import { getDb } from "@/db/client";
import { auditEvents, refusalTallies } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { RateLimitedError } from "@/lib/core/errors";
import { PEER_IP_HEADER } from "@/lib/core/request-meta";
import { admitPasswordResetRequest } from "@/lib/identity/admit-password-reset-request";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { recordQuietRefusals } from "@/lib/identity/record-counted-refusals";
import { REFUSAL_WINDOW_SECONDS, tallyAddress } from "@/lib/identity/refusal-tally";
import { requestPasswordResetCommand } from "@/lib/identity/request-password-reset";
import { signInCommand } from "@/lib/identity/sign-in";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, TEST_PASSWORD } from "../support/factories";
import { requestMeta } from "../support/sign-in-helpers";

/**
 * Item 10: bad bearer tokens and reset requests are anonymous and free to send. Each used to
 * append to the global audit chain, under the lock every sign-in waits on. Now they are throttled
 * per address (429 with Retry-After past a limit) and counted: the first refusal of a key in a
 * window is recorded, repeats and throttled ones become one `auth.refusals.counted` event per key
 * once the window has closed, so the trail keeps every refusal (the counts add up) at a bounded
 * number of rows.
 */
const CHECKLIST = "Log every sign-in attempt, pass or fail. Log every authorization failure";
const CHAIN_LOCK_CLASS = 727_274_002; // lib/audit/append-audit-event.ts

let addressCounter = 0;
const freshAddress = () => `203.0.113.${++addressCounter}`;

/** Calls the API as a client at `ip` would, through our front (which sets the peer header). */
function callWithToken(token: string, ip: string): Promise<Response> {
  return listOrders(new Request("http://localhost/api/v1/orders", { headers: { authorization: `Bearer ${token}`, [PEER_IP_HEADER]: ip } }));
}

/** Runs `count` calls, `parallel` at a time, and returns their statuses. */
async function flood(count: number, call: (i: number) => Promise<Response>, parallel = 25): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, (_, j) => call(i + j)));
    for (const response of batch) {
      statuses.push(response.status);
      await response.text();
    }
  }
  return statuses;
}

/** As if the window these tallies count in had ended: test setup moves it back an hour. */
async function closeWindows(address: string) {
  await asOperator((tx) => tx.update(refusalTallies).set({ windowStart: sql`${refusalTallies.windowStart} - interval '1 hour'` }).where(eq(refusalTallies.address, address)));
}

/** The trail's events for refusals from `address`, with how many refusals each stands for. */
async function refusalEvents(address: string) {
  const rows = await asOperator((tx) =>
    tx
      .select({ action: auditEvents.action, metadata: auditEvents.metadata, actorType: auditEvents.actorType, orgId: auditEvents.orgId })
      .from(auditEvents)
      .where(and(eq(auditEvents.ip, address), inArray(auditEvents.action, ["auth.api-token.rejected", "auth.password_reset.requested", "auth.refusals.counted"])))
      .orderBy(asc(auditEvents.id)),
  );
  return rows.map((r) => ({ ...r, stands: r.action === "auth.refusals.counted" ? (r.metadata as { count: number }).count : 1 }));
}

const sumOf = (events: Array<{ stands: number }>) => events.reduce((n, e) => n + e.stands, 0);

/** Waits out the last 30 seconds of a window, so one test's refusals all fall in the same one. */
async function awayFromWindowEnd() {
  const left = REFUSAL_WINDOW_SECONDS - ((Date.now() / 1000) % REFUSAL_WINDOW_SECONDS);
  if (left < 30) await new Promise((resolve) => setTimeout(resolve, (left + 1) * 1000));
}

/** The counting window the database's clock is in now (the tallies bin by it). */
async function currentWindow(): Promise<number> {
  const [row] = await asOperator((tx) => tx.execute<{ w: string }>(sql`select extract(epoch from date_bin(make_interval(secs => ${REFUSAL_WINDOW_SECONDS}), now(), timestamptz '1970-01-01'))::text as w`));
  return Number(row!.w);
}

/**
 * Runs a scenario whose counts hold within one window. On a loaded machine a flood can outlast
 * the margin above and straddle a window's end, which splits its counts in two; then the run
 * proves nothing either way, so it runs once more, from the start of the new window.
 */
async function inOneWindow(scenario: () => Promise<void>): Promise<void> {
  const before = await currentWindow();
  const failure = await scenario().then(() => null, (error: unknown) => error);
  if ((await currentWindow()) === before) {
    if (failure) throw failure;
    return;
  }
  // The split attempt's counts go to the trail first, so the second attempt counts only its own.
  await asOperator((tx) => tx.update(refusalTallies).set({ windowStart: sql`${refusalTallies.windowStart} - interval '1 hour'` }));
  await recordQuietRefusals(getDb());
  await scenario();
}

describe(`${CHECKLIST}: anonymous refusals are throttled per address and counted, not appended one by one`, () => {
  beforeEach(async () => {
    await awayFromWindowEnd();
  }, 40_000);

  it("1,000 identical bad tokens from one address: 30 answered 401, the rest 429 with Retry-After; three events whose counts add up to 1,000", async () => {
    await inOneWindow(async () => {
      const ip = freshAddress();
      const statuses = await flood(999, () => callWithToken("cs_FLOODEDtoken-that-does-not-exist", ip));
      const answer = await callWithToken("cs_FLOODEDtoken-that-does-not-exist", ip);
      expect([...statuses, answer.status].filter((s) => s === 401)).toHaveLength(30);
      expect([...statuses, answer.status].filter((s) => s === 429)).toHaveLength(970);
      // Only the first is on the trail while the window is open.
      expect(await refusalEvents(ip)).toHaveLength(1);

      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(answer.headers.get("retry-after"))).toBeLessThanOrEqual(REFUSAL_WINDOW_SECONDS);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.headers.get("www-authenticate")).toMatch(/invalid_token/);

      await closeWindows(ip);
      expect(await recordQuietRefusals(getDb())).toBe(2);
      const events = await refusalEvents(ip);
      expect(events.map((e) => [e.action, e.stands]).sort()).toEqual([
        ["auth.api-token.rejected", 1],
        ["auth.refusals.counted", 29],
        ["auth.refusals.counted", 970],
      ]);
      expect(sumOf(events)).toBe(1000);
      const counted = events.filter((e) => e.action === "auth.refusals.counted").map((e) => e.metadata);
      expect(counted).toContainEqual(expect.objectContaining({ refusal: "auth.api-token.rejected", count: 29, throttled: false, prefix: "cs_FLOODED" }));
      expect(counted).toContainEqual(expect.objectContaining({ refusal: "auth.api-token.rejected", count: 970, throttled: true }));
      for (const m of counted) expect(Date.parse((m as { windowEnd: string }).windowEnd) - Date.parse((m as { windowStart: string }).windowStart)).toBe(REFUSAL_WINDOW_SECONDS * 1000);
      expect(events.every((e) => e.orgId === null && e.actorType === "anonymous")).toBe(true);
      // Nothing is left to count twice.
      expect(await recordQuietRefusals(getDb())).toBe(0);
    });
  }, 120_000);

  it("1,000 different bad tokens from one address: at most 30 recorded one by one, the rest in one event, 1,000 in all", async () => {
    await inOneWindow(async () => {
      const ip = freshAddress();
      await flood(1000, (i) => callWithToken(`cs_${String(i).padStart(7, "0")}-guess`, ip));
      await closeWindows(ip);
      await recordQuietRefusals(getDb());
      const events = await refusalEvents(ip);
      expect(events.filter((e) => e.action === "auth.api-token.rejected")).toHaveLength(30);
      expect(events.filter((e) => e.action === "auth.refusals.counted")).toHaveLength(1);
      expect(sumOf(events)).toBe(1000);
    });
  }, 120_000);

  it("the next refusal after a window closed records that window's count first, then counts itself in a new window", async () => {
    const ip = freshAddress();
    await flood(5, () => callWithToken("cs_REPEATSsame", ip));
    await closeWindows(ip);
    expect((await callWithToken("cs_REPEATSsame", ip)).status).toBe(401);
    const events = await refusalEvents(ip);
    expect(events.map((e) => [e.action, e.stands])).toEqual([
      ["auth.api-token.rejected", 1],
      ["auth.refusals.counted", 4],
      ["auth.api-token.rejected", 1],
    ]);
  });

  it("another address is not throttled by the flood, and an IPv6 client is counted by its /64", async () => {
    const flooded = freshAddress();
    await flood(40, () => callWithToken("cs_ANOTHERtoken", flooded));
    expect((await callWithToken("cs_ANOTHERtoken", freshAddress())).status).toBe(401);
    expect(tallyAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(tallyAddress("2001:0db8:0001:0002:bbbb:0:0:2")).toBe("2001:db8:1:2::/64");
    expect(tallyAddress(null)).toBe("");
    const statuses = await flood(31, (i) => callWithToken("cs_IPV6token", `2001:db8:7:7::${(i + 1).toString(16)}`));
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });

  it("two processes recording the same closed window at once record it once", async () => {
    const ip = freshAddress();
    await flood(10, () => callWithToken("cs_RACINGtoken", ip));
    await closeWindows(ip);
    const recorded = await Promise.all([recordQuietRefusals(getDb()), recordQuietRefusals(getDb()), recordQuietRefusals(getDb())]);
    expect(recorded.reduce((a, b) => a + b, 0)).toBe(1);
    expect(sumOf(await refusalEvents(ip))).toBe(10);
  });

  it("repeats never wait on the audit chain's lock, so a flood cannot stall sign-in; a sign-in during a flood goes through", async () => {
    const ip = freshAddress();
    expect((await callWithToken("cs_LOCKEDtoken", ip)).status).toBe(401); // the window's first: recorded
    // Another connection holds the global chain's lock, as a slow append would.
    const holder = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await holder`select pg_advisory_lock(${CHAIN_LOCK_CLASS}, hashtext('global'))`;
      const statuses = await flood(200, () => callWithToken("cs_LOCKEDtoken", ip));
      expect(statuses.filter((s) => s === 401)).toHaveLength(29);
      expect(statuses.filter((s) => s === 429)).toHaveLength(171);
    } finally {
      await holder`select pg_advisory_unlock(${CHAIN_LOCK_CLASS}, hashtext('global'))`;
      await holder.end();
    }

    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const [signIn] = await Promise.all([
      runCommand(signInCommand, anonymousPrincipal(), requestMeta("198.51.100.7"), { email: member.email, password: TEST_PASSWORD }),
      flood(500, () => callWithToken("cs_LOCKEDtoken", ip)),
    ]);
    expect(signIn.userId).toBe(member.userId);
    expect(await refusalEvents(ip)).toHaveLength(1);
  }, 120_000);
});

describe(`${CHECKLIST}: "forgot password" is throttled per address`, () => {
  beforeEach(async () => {
    await awayFromWindowEnd();
  }, 40_000);

  const ask = async (ip: string, email: string) => {
    const meta = requestMeta(ip);
    await admitPasswordResetRequest(meta);
    return runCommand(requestPasswordResetCommand, anonymousPrincipal(), meta, { email });
  };

  it("ten requests from one address are each recorded; the eleventh is refused with a wait, for a real and an unknown account alike", async () => {
    const ip = freshAddress();
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    for (let i = 0; i < 10; i++) await ask(ip, i % 2 ? member.email : `nobody-${i}@example.test`);
    for (const email of [member.email, "nobody@example.test"]) {
      const error = await ask(ip, email).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
      expect((error as RateLimitedError).message).toMatch(/^Too many reset requests from your network\. Try again in \d+ minutes?\.$/);
    }
    // Another address still gets its answer.
    await expect(ask(freshAddress(), member.email)).resolves.toBeDefined();

    await closeWindows(ip);
    await recordQuietRefusals(getDb());
    const events = await refusalEvents(ip);
    expect(events.filter((e) => e.action === "auth.password_reset.requested")).toHaveLength(10);
    expect(events.filter((e) => e.action === "auth.refusals.counted").map((e) => e.metadata)).toEqual([
      expect.objectContaining({ refusal: "auth.password_reset.requested", count: 2, throttled: true }),
    ]);
    expect(sumOf(events)).toBe(12);
  });
});
