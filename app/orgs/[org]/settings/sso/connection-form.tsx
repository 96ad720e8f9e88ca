"use client";

import { useActionState, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { oidcConnectionFormSchema, type OidcConnectionForm } from "@/lib/sso/admin-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { useResetOnSuccess } from "@/components/ui/use-reset-on-success";
import { FormField } from "@/components/ui/form-field";
import { ConnectionDefaultsFields } from "./connection-defaults-fields";
import type { SsoChoices } from "./sso-choices";

type Output = z.output<typeof oidcConnectionFormSchema>;
type Create = (prev: unknown, input: Output) => Promise<ActionResult<{ id: string; redirectUri?: string }>>;

// What each preset's issuer looks like; the admin copies theirs from the IdP's app page.
const PRESETS = {
  okta: { label: "Okta", issuer: "https://your-org.okta.com/oauth2/default", help: "Okta: the org authorization server (https://your-org.okta.com) or a custom one (…/oauth2/default or …/oauth2/<id>). Groups come from a “groups” claim you add to the app." },
  entra: { label: "Microsoft Entra ID", issuer: "https://login.microsoftonline.com/<tenant-id>/v2.0", help: "Entra: the tenant-specific issuer. People are keyed by tenant and object id (never by email); groups arrive as object ids, or use app roles." },
  generic: { label: "Another OIDC provider", issuer: "https://idp.example.com", help: "Any OpenID Connect provider with discovery (/.well-known/openid-configuration)." },
} as const;

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

/** Add an OIDC connection by discovery; the server checks sso:manage and a recent second factor again. */
export function ConnectionForm({ action, choices }: { action: Create; choices: SsoChoices }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const defaults: OidcConnectionForm = { protocol: "oidc", preset: "okta", name: "", issuer: "", clientId: "", clientSecret: "", scopes: "openid email profile", claimMapping: { email: "", name: "", groups: "" }, mfaPolicy: "local", defaultRoleId: null, defaultBranchId: null };
  const form = useForm<OidcConnectionForm, unknown, Output>({ resolver: zodResolver(oidcConnectionFormSchema), defaultValues: defaults });
  const preset = useWatch({ control: form.control, name: "preset" });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  useResetOnSuccess(state, () => form.reset(defaults));
  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  const presetInfo = PRESETS[preset ?? "generic"];
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label="Add an OIDC connection">
      <FormField label="Identity provider" error={errors.preset?.message ?? server?.preset?.[0]}>
        {(props) => (
          <select {...props} {...form.register("preset")}>
            {Object.entries(PRESETS).map(([value, p]) => (
              <option key={value} value={value}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Name (shown to people choosing how to sign in)" error={errors.name?.message ?? server?.name?.[0]}>
        {(props) => <input {...props} placeholder={presetInfo.label} {...form.register("name")} />}
      </FormField>
      <p className="text-sm text-slate-600 sm:col-span-2">{presetInfo.help}</p>
      <div className="sm:col-span-2">
        <FormField label="Issuer URL" error={errors.issuer?.message ?? server?.issuer?.[0]}>
          {(props) => <input {...props} inputMode="url" autoComplete="off" placeholder={presetInfo.issuer} {...form.register("issuer")} />}
        </FormField>
      </div>
      <FormField label="Client id" error={errors.clientId?.message ?? server?.clientId?.[0]}>
        {(props) => <input {...props} autoComplete="off" {...form.register("clientId")} />}
      </FormField>
      <FormField label="Client secret (stored sealed, never shown again)" error={errors.clientSecret?.message ?? server?.clientSecret?.[0]}>
        {(props) => <input {...props} type="password" autoComplete="new-password" {...form.register("clientSecret")} />}
      </FormField>
      <div className="sm:col-span-2">
        <FormField label="Scopes (separated by spaces)" error={errors.scopes?.message ?? server?.scopes?.[0]}>
          {(props) => <input {...props} {...form.register("scopes")} />}
        </FormField>
      </div>
      <fieldset className="grid gap-4 sm:col-span-2 sm:grid-cols-3">
        <legend className="mb-1 text-sm font-medium text-slate-700">Claim names (leave empty for the preset&apos;s: email, name, groups)</legend>
        <FormField label="Email claim" error={errors.claimMapping?.email?.message ?? server?.["claimMapping.email"]?.[0]}>
          {(props) => <input {...props} placeholder="email" {...form.register("claimMapping.email")} />}
        </FormField>
        <FormField label="Name claim" error={errors.claimMapping?.name?.message ?? server?.["claimMapping.name"]?.[0]}>
          {(props) => <input {...props} placeholder="name" {...form.register("claimMapping.name")} />}
        </FormField>
        <FormField label="Groups claim" error={errors.claimMapping?.groups?.message ?? server?.["claimMapping.groups"]?.[0]}>
          {(props) => <input {...props} placeholder="groups" {...form.register("claimMapping.groups")} />}
        </FormField>
      </fieldset>
      <ConnectionDefaultsFields
        choices={choices}
        fields={{
          mfaPolicy: form.register("mfaPolicy"),
          defaultRoleId: form.register("defaultRoleId", { setValueAs: blankToNull }),
          defaultBranchId: form.register("defaultBranchId", { setValueAs: blankToNull }),
        }}
        errors={{
          mfaPolicy: errors.mfaPolicy?.message ?? server?.mfaPolicy?.[0],
          defaultRoleId: errors.defaultRoleId?.message ?? server?.defaultRoleId?.[0],
          defaultBranchId: errors.defaultBranchId?.message ?? server?.defaultBranchId?.[0],
        }}
      />
      <div className="space-y-2 sm:col-span-2">
        <FormAlert message={state && !state.ok ? state.error : null} />
        {state?.ok ? <Notice>Connection added.{state.data.redirectUri ? ` Register this redirect URI at your IdP: ${state.data.redirectUri}` : ""}</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add connection"}
        </Button>
      </div>
    </form>
  );
}
