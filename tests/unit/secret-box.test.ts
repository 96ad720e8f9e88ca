import { afterEach, describe, expect, it } from "vitest";
import { generateMfaEncryptionKey, MfaKeyError, openSecret, sealSecret } from "@/lib/mfa/secret-box";

const saved = process.env.MFA_ENCRYPTION_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.MFA_ENCRYPTION_KEY;
  else process.env.MFA_ENCRYPTION_KEY = saved;
});

describe("TOTP secrets are sealed at rest with AES-256-GCM under MFA_ENCRYPTION_KEY", () => {
  it("seals to a fresh ciphertext each time and opens only for the same owner and key", () => {
    process.env.MFA_ENCRYPTION_KEY = generateMfaEncryptionKey();
    const a = sealSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "user-1");
    const b = sealSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "user-1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DP");
    expect(openSecret(a, "user-1")).toBe("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    expect(() => openSecret(a, "user-2")).toThrow(MfaKeyError);
    process.env.MFA_ENCRYPTION_KEY = generateMfaEncryptionKey();
    expect(() => openSecret(a, "user-1")).toThrow(/does not open with MFA_ENCRYPTION_KEY/);
  });

  it("a changed byte, a plain value and a missing or short key are refused with a message that says what to do", () => {
    process.env.MFA_ENCRYPTION_KEY = generateMfaEncryptionKey();
    const sealed = sealSecret("SECRET", "u");
    const parts = sealed.split(":");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => openSecret([...parts.slice(0, 3), body.toString("base64url")].join(":"), "u")).toThrow(MfaKeyError);
    expect(() => openSecret("JBSWY3DPEHPK3PXP", "u")).toThrow(/not in the sealed format/);
    process.env.MFA_ENCRYPTION_KEY = Buffer.alloc(16).toString("base64");
    expect(() => sealSecret("SECRET", "u")).toThrow(/32 random bytes/);
    delete process.env.MFA_ENCRYPTION_KEY;
    const file = process.env.MFA_ENCRYPTION_KEY_FILE;
    delete process.env.MFA_ENCRYPTION_KEY_FILE;
    try {
      expect(() => sealSecret("SECRET", "u")).toThrow(/MFA_ENCRYPTION_KEY \(or MFA_ENCRYPTION_KEY_FILE\) is not set/);
    } finally {
      if (file) process.env.MFA_ENCRYPTION_KEY_FILE = file;
    }
  });
});
