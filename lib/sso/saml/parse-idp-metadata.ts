import { X509Certificate } from "node:crypto";
import { ValidationError } from "@/lib/core/errors";
import { childElements, fullText, parseSafeXml, SAML_METADATA_NS, UnsafeXmlError, XMLDSIG_NS } from "./saml-xml";

export interface IdpMetadata {
  entityId: string;
  /** The IdP's SingleSignOnService for the HTTP-Redirect binding (where AuthnRequests go). */
  ssoUrl: string;
  /** Base64 DER of every signing certificate: several during a rotation. */
  certificates: string[];
  /** The IDPSSODescriptor's WantAuthnRequestsSigned: this IdP refuses unsigned AuthnRequests. */
  wantsSignedRequests: boolean;
}

const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

type Refuse = (message: string) => never;

/** Errors name the field the metadata came from: metadataXml, or metadataUrl when fetched. */
const refuserFor =
  (field: string): Refuse =>
  (message) => {
    throw new ValidationError({ [field]: [message] });
  };

/**
 * Reads what a SAML connection needs from an IdP's metadata: its entity id, its redirect-binding
 * sign-in URL, its signing certificates (a KeyDescriptor with use="signing" or no use) and whether
 * it wants signed AuthnRequests (xsd:boolean: "true" or "1"). A
 * DOCTYPE is refused, never expanded. Each certificate must parse as X.509.
 */
export function parseIdpMetadata(xml: string, from: "metadataXml" | "metadataUrl" = "metadataXml"): IdpMetadata {
  const refuse: Refuse = refuserFor(from);
  let root: Element;
  try {
    root = parseSafeXml(xml).documentElement!;
  } catch (error) {
    if (error instanceof UnsafeXmlError) refuse(error.reason === "xml-doctype" ? "must not contain a DOCTYPE or entity declarations" : "is not well-formed XML; export the IdP's SAML metadata again");
    throw error;
  }
  const entity = pickIdpEntity(root, refuse);
  const entityId = entity.getAttribute("entityID")?.trim();
  if (!entityId) refuse("has no entityID; export the IdP's SAML metadata again");
  const idp = childElements(entity, SAML_METADATA_NS, "IDPSSODescriptor")[0]!;
  const sso = childElements(idp, SAML_METADATA_NS, "SingleSignOnService").find((e) => e.getAttribute("Binding") === REDIRECT_BINDING);
  const ssoUrl = sso?.getAttribute("Location")?.trim();
  if (!ssoUrl) refuse("has no SingleSignOnService for the HTTP-Redirect binding; enable it at the IdP");
  const certificates = [
    ...new Set(
      childElements(idp, SAML_METADATA_NS, "KeyDescriptor")
        .filter((k) => k.getAttribute("use") !== "encryption")
        .flatMap((k) => childElements(k, XMLDSIG_NS, "KeyInfo"))
        .flatMap((info) => childElements(info, XMLDSIG_NS, "X509Data"))
        .flatMap((data) => childElements(data, XMLDSIG_NS, "X509Certificate"))
        .map((c) => fullText(c).replace(/\s+/g, "")),
    ),
  ];
  if (certificates.length === 0) refuse("names no signing certificate; the IdP must publish the certificate it signs with");
  for (const der of certificates) {
    try {
      new X509Certificate(Buffer.from(der, "base64"));
    } catch {
      refuse("holds a signing certificate that is not a valid X.509 certificate");
    }
  }
  const wantsSignedRequests = ["true", "1"].includes(idp.getAttribute("WantAuthnRequestsSigned")?.trim() ?? "");
  return { entityId, ssoUrl, certificates, wantsSignedRequests };
}

/** An EntityDescriptor, or the one IdP among an EntitiesDescriptor's. */
function pickIdpEntity(root: Element, refuse: Refuse): Element {
  const isIdp = (e: Element) => childElements(e, SAML_METADATA_NS, "IDPSSODescriptor").length > 0;
  if (root.namespaceURI === SAML_METADATA_NS && root.localName === "EntityDescriptor") {
    if (!isIdp(root)) refuse("describes no identity provider (no IDPSSODescriptor)");
    return root;
  }
  if (root.namespaceURI === SAML_METADATA_NS && root.localName === "EntitiesDescriptor") {
    const idps = childElements(root, SAML_METADATA_NS, "EntityDescriptor").filter(isIdp);
    if (idps.length !== 1) refuse(`must describe exactly one identity provider (found ${idps.length}); export this IdP's own metadata`);
    return idps[0]!;
  }
  return refuse("is not SAML 2.0 metadata (no EntityDescriptor)");
}
