"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { samlConnectionFormSchema, type SamlConnectionForm } from "@/lib/sso/admin-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { useResetOnSuccess } from "@/components/ui/use-reset-on-success";
import { FormField } from "@/components/ui/form-field";
import { ConnectionDefaultsFields } from "./connection-defaults-fields";
import type { SsoChoices } from "./sso-choices";

type Output = z.output<typeof samlConnectionFormSchema>;
type Created = { id: string; acsUrl: string; entityId: string; metadataUrl: string };
type Create = (prev: unknown, input: Output) => Promise<ActionResult<Created>>;

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);
const defaults: SamlConnectionForm = { name: "", metadataUrl: "", metadataXml: "", allowIdpInitiated: false, requireEncryptedAssertions: false, mfaPolicy: "local", defaultRoleId: null, defaultBranchId: null };

/**
 * Add a SAML 2.0 connection from the IdP's metadata: its URL, or its file (read here, sent as
 * XML). The server checks sso:manage and a recent second factor, fetches or parses the metadata
 * and answers the values to register at the IdP.
 */
export function SamlConnectionForm({ action, choices }: { action: Create; choices: SsoChoices }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const form = useForm<SamlConnectionForm, unknown, Output>({ resolver: zodResolver(samlConnectionFormSchema), defaultValues: defaults });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  useResetOnSuccess(state, () => form.reset(defaults));
  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  const readFile = async (file: File | undefined) => {
    form.setValue("metadataXml", file ? await file.text() : "", { shouldValidate: form.formState.isSubmitted });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label="Add a SAML connection">
      <div className="sm:col-span-2">
        <FormField label="Name (shown to people choosing how to sign in)" error={errors.name?.message ?? server?.name?.[0]}>
          {(props) => <input {...props} placeholder="Okta SAML" {...form.register("name")} />}
        </FormField>
      </div>
      <p className="text-sm text-slate-600 sm:col-span-2">
        Give the IdP&apos;s metadata by its URL, or choose the metadata file you downloaded from the IdP. Every signing certificate in it is trusted, so a
        certificate rotation needs no change here.
      </p>
      <FormField label="IdP metadata URL" error={errors.metadataUrl?.message ?? server?.metadataUrl?.[0]}>
        {(props) => <input {...props} inputMode="url" autoComplete="off" placeholder="https://idp.example.com/metadata" {...form.register("metadataUrl")} />}
      </FormField>
      <FormField label="Or the IdP metadata file" error={errors.metadataXml?.message ?? server?.metadataXml?.[0]}>
        {(props) => <input {...props} key={state?.ok ? state.data.id : "new"} type="file" accept=".xml,application/xml,text/xml" onChange={(e) => void readFile(e.target.files?.[0])} />}
      </FormField>
      <label className="flex items-start gap-2 text-sm sm:col-span-2">
        <input type="checkbox" className="mt-1" {...form.register("allowIdpInitiated")} />
        <span>Allow sign-in started at the IdP (its app tile). Off is safer: then every response must answer a request that began here.</span>
      </label>
      <label className="flex items-start gap-2 text-sm sm:col-span-2">
        <input type="checkbox" className="mt-1" {...form.register("requireEncryptedAssertions")} />
        <span>
          Require encrypted assertions. Turn on encryption at the IdP with the encryption certificate in this connection&apos;s metadata. AuthnRequests are signed when the
          IdP&apos;s metadata asks for it; you can change that in the connection list.
        </span>
      </label>
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
        {state?.ok ? (
          <Notice>
            SAML connection added. Register at your IdP: ACS URL {state.data.acsUrl}, entity id (audience) {state.data.entityId}; or give it our metadata at{" "}
            {state.data.metadataUrl}.
          </Notice>
        ) : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add SAML connection"}
        </Button>
      </div>
    </form>
  );
}
