import { z } from "zod";
import type { Db } from "@/db/client";
import { runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { ValidationError } from "@/lib/core/errors";
import { assertCleanInput, fieldErrorsFromIssues } from "@/lib/core/input-rules";
import { assertMfaPassedFor, assertStepUp } from "@/lib/core/step-up";
import { holdsAnywhere } from "@/lib/access/access";
import { createConnectionCommand } from "../create-connection";
import { parseIdpMetadata } from "./parse-idp-metadata";
import { fetchIdpMetadata, MAX_METADATA_BYTES } from "./read-idp-metadata";

const claimName = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_:./-]+$/, "must be an attribute name (letters, digits, _ : . / -)");

/**
 * What the REST route, the Settings form and the CLI send to add a SAML connection: the IdP's
 * metadata as a URL or as the document itself (an uploaded file's text), never both.
 */
export const createSamlConnectionSchema = z
  .object({
    name: z.string().trim().min(1).max(120).default("Single sign-on"),
    metadataUrl: z.string().trim().max(2000).optional(),
    metadataXml: z.string().max(MAX_METADATA_BYTES, "must be at most 512 KB").optional(),
    allowIdpInitiated: z.boolean().default(false),
    // Default: on exactly when the IdP's metadata says WantAuthnRequestsSigned (then it cannot be off).
    signAuthnRequests: z.boolean().optional(),
    requireEncryptedAssertions: z.boolean().default(false),
    // Which SAML attributes carry the email, the name and the groups (default: email, name, groups).
    claimMapping: z.object({ email: claimName.optional(), name: claimName.optional(), groups: claimName.optional() }).strict().optional(),
    mfaPolicy: z.enum(["idp", "local"]).default("local"),
    defaultRoleId: z.uuid({ message: "must be a role id" }).nullable().default(null),
    defaultBranchId: z.uuid({ message: "must be a branch id" }).nullable().default(null),
  })
  .strict()
  .refine((v) => Boolean(v.metadataUrl) !== Boolean(v.metadataXml), { message: "give the IdP's metadata as a URL or as a file, exactly one", path: ["metadataUrl"] });
export type CreateSamlConnectionInput = z.input<typeof createSamlConnectionSchema>;

export interface CreatedSamlConnection {
  id: string;
  protocol: "saml";
  name: string;
  acsUrl: string;
  entityId: string;
  metadataUrl: string;
  idpEntityId: string;
}

/**
 * Adds a SAML connection from the IdP's metadata. The metadata is fetched and parsed before the
 * command's transaction (no network call holds a transaction open), then the connection is
 * created by `sso.connection.created` like an OIDC one: sso:manage, an MFA step-up, audited.
 */
export async function createSamlConnection(principal: Principal, meta: RequestMeta, rawInput: unknown, db?: Db): Promise<CreatedSamlConnection> {
  // Nobody may make the server fetch a URL before the command would let them create the
  // connection: the wrapper refuses (and records) the same actor before looking at the input.
  if (!mayCreateConnection(principal)) await runCommand(createConnectionCommand, principal, meta, {}, db);
  assertCleanInput(rawInput);
  const parsed = createSamlConnectionSchema.safeParse(rawInput);
  if (!parsed.success) throw new ValidationError(fieldErrorsFromIssues(parsed.error.issues, "metadataUrl"));
  const input = parsed.data;
  const idp = input.metadataUrl ? await fetchIdpMetadata(input.metadataUrl) : parseIdpMetadata(input.metadataXml!);
  const created = await runCommand(
    createConnectionCommand,
    principal,
    meta,
    {
      protocol: "saml",
      name: input.name,
      idpEntityId: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpCertificates: idp.certificates,
      allowIdpInitiated: input.allowIdpInitiated,
      signAuthnRequests: input.signAuthnRequests,
      idpWantsSignedRequests: idp.wantsSignedRequests,
      requireEncryptedAssertions: input.requireEncryptedAssertions,
      claimMapping: input.claimMapping,
      mfaPolicy: input.mfaPolicy,
      defaultRoleId: input.defaultRoleId,
      defaultBranchId: input.defaultBranchId,
    },
    db,
  );
  if (!("acsUrl" in created) || !created.acsUrl || !created.entityId) throw new Error("a SAML connection has an ACS URL and an entity id");
  return { id: created.id, protocol: "saml", name: created.name, acsUrl: created.acsUrl, entityId: created.entityId, metadataUrl: created.entityId, idpEntityId: idp.entityId };
}

/** The wrapper's own first checks for sso.connection.created: the permission, MFA passed, a fresh step-up. */
function mayCreateConnection(principal: Principal): boolean {
  try {
    if (principal.pendingSignIn || !holdsAnywhere(principal.access, "sso:manage")) return false;
    assertMfaPassedFor(principal, "sso:manage");
    assertStepUp(principal, "mfa", createConnectionCommand.stepUp);
    return true;
  } catch {
    return false;
  }
}
