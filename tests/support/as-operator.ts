import type { Tx } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";

/**
 * Test setup and assertions that look across orgs, as the operator would: one transaction with
 * row-level security bypassed. Everything else in a test runs as the app does, under RLS, so a
 * query that forgets its org filter fails the test instead of passing because the test bypassed.
 */
export function asOperator<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenantScope({ orgId: null, userId: null, bypass: true }, fn);
}
