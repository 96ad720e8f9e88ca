import { ValidationError } from "@/lib/core/errors";

/**
 * An IdP whose metadata says WantAuthnRequestsSigned refuses unsigned AuthnRequests, so turning
 * signing off under it would only break sign-in: refused, naming the field and why.
 */
export function assertSigningMayBeOff(signAuthnRequests: boolean, idpWantsSignedRequests: boolean): boolean {
  if (idpWantsSignedRequests && !signAuthnRequests) {
    throw new ValidationError({ signAuthnRequests: ["must stay on: the IdP's metadata says it wants signed AuthnRequests (WantAuthnRequestsSigned), so it would refuse unsigned ones"] });
  }
  return signAuthnRequests;
}
