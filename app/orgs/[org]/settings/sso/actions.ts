"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { deleteConnectionCommand } from "@/lib/sso/delete-connection";
import { linkIdentityCommand } from "@/lib/sso/link-identity";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { removeDomainCommand } from "@/lib/sso/remove-domain";
import { removeMappingCommand } from "@/lib/sso/remove-mapping";
import { setSsoPolicyCommand } from "@/lib/sso/set-sso-policy";
import { testConnectionCommand } from "@/lib/sso/start-sso";
import { updateConnectionCommand } from "@/lib/sso/update-connection";
import { verifyDomainCommand } from "@/lib/sso/verify-domain";
import { loadRequestMeta, requirePrincipal } from "../../../../load-viewer";
import { describeFailure } from "../../access/action-failure";

// Every action takes the org from the URL and hands the rest to one command, which checks
// sso:manage at the org root and (for changes) a recent second factor; without one,
// describeFailure sends the person to confirm it and back to this page.

const page = (org: string) => `/orgs/${org}/settings/sso`;

async function run<T>(org: string, work: (principal: Awaited<ReturnType<typeof requirePrincipal>>, meta: Awaited<ReturnType<typeof loadRequestMeta>>) => Promise<T>): Promise<ActionResult<T>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const data = await work(principal, meta);
    revalidatePath(page(org));
    return { ok: true, data };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function createOidcConnectionAction(org: string, _prev: unknown, input: unknown): Promise<ActionResult<{ id: string; redirectUri?: string }>> {
  return run(org, async (principal, meta) => {
    const created = await runCommand(createConnectionCommand, principal, meta, withoutBlankClaims(input));
    return { id: created.id, ...("redirectUri" in created ? { redirectUri: created.redirectUri } : {}) };
  });
}

/** "Add a SAML connection": the IdP's metadata by URL or as a file's XML (one of the two). */
export async function createSamlConnectionAction(org: string, _prev: unknown, input: unknown): Promise<ActionResult<{ id: string; acsUrl: string; entityId: string; metadataUrl: string }>> {
  return run(org, async (principal, meta) => {
    const created = await createSamlConnection(principal, meta, withoutBlankSamlFields(input));
    return { id: created.id, acsUrl: created.acsUrl, entityId: created.entityId, metadataUrl: created.metadataUrl };
  });
}

export async function updateConnectionAction(org: string, connectionId: string, _prev: unknown, input: unknown): Promise<ActionResult<{ id: string }>> {
  return run(org, (principal, meta) => runCommand(updateConnectionCommand, principal, meta, { ...asObject(input), connectionId }));
}

export async function deleteConnectionAction(org: string, connectionId: string): Promise<ActionResult<{ id: string }>> {
  return run(org, (principal, meta) => runCommand(deleteConnectionCommand, principal, meta, { connectionId }));
}

/** "Test connection": the browser is sent to the IdP's URL (a fresh navigation, allowed by the CSP). */
export async function testConnectionAction(org: string, connectionId: string): Promise<ActionResult<{ redirectUrl: string }>> {
  return run(org, async (principal, meta) => ({ redirectUrl: (await runCommand(testConnectionCommand, principal, meta, { connectionId })).redirectUrl }));
}

export async function addDomainAction(org: string, _prev: unknown, input: unknown): Promise<ActionResult<{ id: string; verified: boolean }>> {
  return run(org, async (principal, meta) => {
    const added = await runCommand(addDomainCommand, principal, meta, input);
    return { id: added.id, verified: added.verified };
  });
}

export async function verifyDomainAction(org: string, domainId: string): Promise<ActionResult<{ id: string }>> {
  return run(org, (principal, meta) => runCommand(verifyDomainCommand, principal, meta, { domainId }));
}

export async function removeDomainAction(org: string, domainId: string): Promise<ActionResult<{ id: string }>> {
  return run(org, (principal, meta) => runCommand(removeDomainCommand, principal, meta, { domainId }));
}

export async function addMappingAction(org: string, _prev: unknown, input: unknown): Promise<ActionResult<{ id: string }>> {
  return run(org, (principal, meta) => runCommand(addMappingCommand, principal, meta, input));
}

export async function removeMappingAction(org: string, mappingId: string): Promise<ActionResult<{ id: string }>> {
  return run(org, (principal, meta) => runCommand(removeMappingCommand, principal, meta, { mappingId }));
}

export async function setSsoPolicyAction(org: string, _prev: unknown, input: unknown): Promise<ActionResult<{ requireSso: boolean; breakGlass: string[] }>> {
  return run(org, (principal, meta) => runCommand(setSsoPolicyCommand, principal, meta, input));
}

function asObject(input: unknown): Record<string, unknown> {
  return input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

// The form sends every claim-name box (an empty one means "the preset's default") and a branch
// even when no default role is chosen (then the branch means nothing).
function withoutBlankClaims(input: unknown): unknown {
  const body = asObject(input);
  const mapping = asObject(body.claimMapping);
  const claimMapping = Object.fromEntries(Object.entries(mapping).filter(([, v]) => typeof v !== "string" || v.trim() !== ""));
  return { ...body, claimMapping, ...(body.defaultRoleId ? {} : { defaultBranchId: null }) };
}

// The SAML form sends both metadata boxes (one is empty) and a branch even without a default role.
function withoutBlankSamlFields(input: unknown): unknown {
  const body = asObject(input);
  const kept = Object.fromEntries(Object.entries(body).filter(([key, v]) => !((key === "metadataUrl" || key === "metadataXml") && v === "")));
  return { ...kept, ...(body.defaultRoleId ? {} : { defaultBranchId: null }) };
}

/** Links a member's account (at a domain the org owns) to an identity at one of its connections; audited. */
export async function linkIdentityAction(org: string, _prev: unknown, input: unknown): Promise<ActionResult<{ id: string; userId: string }>> {
  return run(org, (principal, meta) => runCommand(linkIdentityCommand, principal, meta, asObject(input)));
}
