import type { ConnectionSummary } from "@/lib/sso/list-connections";
import { updateConnectionAction } from "./actions";
import { ConfirmActionButton } from "./confirm-action-button";

/**
 * A SAML connection's two key options: signing our AuthnRequests (cannot be turned off when the
 * IdP's metadata asks for signed requests) and requiring encrypted assertions. Both keys are in
 * the SP metadata already, so the IdP needs its copy refreshed only when signing is turned on.
 */
export function SamlKeyControls({ org, connection: c }: { org: string; connection: ConnectionSummary }) {
  const update = (change: Record<string, boolean>) => updateConnectionAction.bind(null, org, c.id, null, change);
  return (
    <div className="space-y-1">
      <p className="text-slate-600">
        AuthnRequests: {c.signAuthnRequests ? "signed" : "not signed"}
        {c.idpWantsSignedRequests ? " (the IdP requires signed requests)" : ""}. Assertions: {c.requireEncryptedAssertions ? "must be encrypted" : "read encrypted or not"}.
      </p>
      <div className="flex flex-wrap gap-2">
        {c.signAuthnRequests && c.idpWantsSignedRequests ? null : (
          <ConfirmActionButton
            action={update({ signAuthnRequests: !c.signAuthnRequests })}
            label={c.signAuthnRequests ? "Stop signing requests" : "Sign requests"}
            question={c.signAuthnRequests ? undefined : "Sign AuthnRequests? Give the IdP this connection's metadata again afterwards: it now carries the signing certificate."}
            confirmLabel="Yes, sign them"
            pendingLabel="Saving…"
            done="Saved."
          />
        )}
        <ConfirmActionButton
          action={update({ requireEncryptedAssertions: !c.requireEncryptedAssertions })}
          label={c.requireEncryptedAssertions ? "Accept unencrypted assertions" : "Require encrypted assertions"}
          question={c.requireEncryptedAssertions ? undefined : "Require encrypted assertions? Turn on encryption at the IdP with the encryption certificate in this connection's metadata first, or sign-ins will be refused."}
          confirmLabel="Yes, require encryption"
          pendingLabel="Saving…"
          done="Saved."
        />
      </div>
    </div>
  );
}
