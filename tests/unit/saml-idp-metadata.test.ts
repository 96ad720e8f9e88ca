import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIdpMetadata } from "@/lib/sso/saml/parse-idp-metadata";
import { startSamlTestIdp, type SamlTestIdp } from "../support/saml-test-idp";

let idp: SamlTestIdp;
beforeAll(async () => {
  idp = await startSamlTestIdp();
});
afterAll(() => idp.close());

const entity = (xml: string) => xml.replace(/^<\?xml[^>]*\?>\s*/, "");
const wrap = (...entities: string[]) => `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${entities.join("")}</md:EntitiesDescriptor>`;

describe("IdP metadata import (parse-idp-metadata.ts)", () => {
  it("reads the entity id, the HTTP-Redirect SSO URL and the signing certificates of samlify's metadata", () => {
    expect(parseIdpMetadata(idp.metadataXml(true))).toEqual({ entityId: idp.entityId, ssoUrl: idp.ssoUrl, certificates: [idp.certificates.current, idp.certificates.next], wantsSignedRequests: false });
  });

  it("takes the one IdP of an EntitiesDescriptor, and refuses one that holds two", () => {
    const spOnly = `<md:EntityDescriptor entityID="https://sp.example"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    expect(parseIdpMetadata(wrap(spOnly, entity(idp.metadataXml()))).entityId).toBe(idp.entityId);
    expect(() => parseIdpMetadata(wrap(entity(idp.metadataXml()), entity(idp.metadataXml())))).toThrow(expect.objectContaining({ fieldErrors: { metadataXml: [expect.stringContaining("exactly one identity provider (found 2)")] } }));
  });

  it("ignores encryption-only keys: metadata whose only certificate is for encryption names no signing certificate", () => {
    const xml = idp.metadataXml().replace(/<(\w+:)?KeyDescriptor use="signing"/, '<$1KeyDescriptor use="encryption"');
    expect(() => parseIdpMetadata(xml)).toThrow(expect.objectContaining({ fieldErrors: { metadataXml: [expect.stringContaining("no signing certificate")] } }));
  });

  it("refuses metadata without a redirect-binding SSO service, naming what to enable", () => {
    const xml = idp.metadataXml().replace(/urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect"\s+Location="[^"]*\/sso"/, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="http://x/sso"');
    expect(() => parseIdpMetadata(xml)).toThrow(expect.objectContaining({ fieldErrors: { metadataXml: [expect.stringContaining("HTTP-Redirect")] } }));
  });

  it("names metadataUrl when the metadata was fetched", () => {
    expect(() => parseIdpMetadata("<nope", "metadataUrl")).toThrow(expect.objectContaining({ fieldErrors: { metadataUrl: [expect.stringContaining("not well-formed")] } }));
  });
});
