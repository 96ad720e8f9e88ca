"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormField } from "@/components/ui/form-field";
import type { SsoChoices } from "./sso-choices";

/**
 * What OIDC and SAML connections ask alike: who checks the second factor, and the role at a
 * branch for people no mapping rule matches. Each form registers the fields and passes them in.
 */
export function ConnectionDefaultsFields({
  choices,
  fields,
  errors,
}: {
  choices: SsoChoices;
  fields: { mfaPolicy: UseFormRegisterReturn; defaultRoleId: UseFormRegisterReturn; defaultBranchId: UseFormRegisterReturn };
  errors: { mfaPolicy?: string | undefined; defaultRoleId?: string | undefined; defaultBranchId?: string | undefined };
}) {
  return (
    <>
      <FormField label="Second factor" error={errors.mfaPolicy}>
        {(props) => (
          <select {...props} {...fields.mfaPolicy}>
            <option value="local">Ask for our own second factor</option>
            <option value="idp">Trust the IdP&apos;s MFA (admins still use ours)</option>
          </select>
        )}
      </FormField>
      <div />
      <FormField label="Default role for people no rule matches (optional)" error={errors.defaultRoleId}>
        {(props) => (
          <select {...props} {...fields.defaultRoleId}>
            <option value="">None: refuse them, with a page saying why</option>
            {choices.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="At branch" error={errors.defaultBranchId}>
        {(props) => (
          <select {...props} {...fields.defaultBranchId}>
            <BranchSelectOptions branches={choices.branches} />
          </select>
        )}
      </FormField>
    </>
  );
}
