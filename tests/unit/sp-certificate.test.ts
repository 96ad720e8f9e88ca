import { createPublicKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "@/lib/sso/saml/make-sp-certificate";

describe("the SP's self-signed certificates (DER encoded by hand)", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicKey = createPublicKey(privateKey);

  it("every one parses and verifies: 1,500 random serials (a needless leading zero byte, 1 in 256 before the fix, made OpenSSL refuse the DER)", () => {
    const serials = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const cert = new X509Certificate(Buffer.from(selfSignedCertificate(privateKey, publicKey, "Countersign SP signing test"), "base64"));
      expect(cert.verify(publicKey)).toBe(true);
      serials.add(cert.serialNumber);
    }
    expect(serials.size).toBe(1500);
  });

  it("names the subject and issuer, is valid from a minute ago for ten years, and switches to GeneralizedTime from 2050", () => {
    const now = new Date("2045-06-01T12:00:00Z");
    const cert = new X509Certificate(Buffer.from(selfSignedCertificate(privateKey, publicKey, "Countersign SP encryption é", now), "base64"));
    expect(cert.subject).toBe("CN=Countersign SP encryption é");
    expect(cert.issuer).toBe(cert.subject);
    expect(new Date(cert.validFrom).toISOString()).toBe("2045-06-01T11:59:00.000Z");
    expect(new Date(cert.validTo).toISOString()).toBe("2055-06-01T12:00:00.000Z");
    expect(cert.publicKey.export({ type: "spki", format: "der" }).equals(publicKey.export({ type: "spki", format: "der" }))).toBe(true);
  });
});
