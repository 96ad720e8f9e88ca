import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderQrDataUrl, renderQrSvg } from "@/lib/mfa/qr-code";
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  matchTotpStep,
  timeStep,
  totpCode,
  totpUri,
  type TotpAlgorithm,
} from "@/lib/mfa/totp";

// RFC 6238 Appendix B: the seed for each algorithm is the ASCII digits repeated to the hash size.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from("12345678901234567890", "ascii"),
  sha256: Buffer.from("12345678901234567890123456789012", "ascii"),
  sha512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234", "ascii"),
};

const VECTORS: Array<{ seconds: number; sha1: string; sha256: string; sha512: string }> = [
  { seconds: 59, sha1: "94287082", sha256: "46119246", sha512: "90693936" },
  { seconds: 1111111109, sha1: "07081804", sha256: "68084774", sha512: "25091201" },
  { seconds: 1111111111, sha1: "14050471", sha256: "67062674", sha512: "99943326" },
  { seconds: 1234567890, sha1: "89005924", sha256: "91819424", sha512: "93441116" },
  { seconds: 2000000000, sha1: "69279037", sha256: "90698825", sha512: "38618901" },
  { seconds: 20000000000, sha1: "65353130", sha256: "77737706", sha512: "47863826" },
];

describe("TOTP (RFC 6238): the RFC Appendix B vectors pass", () => {
  for (const vector of VECTORS) {
    for (const algorithm of ["sha1", "sha256", "sha512"] as const) {
      it(`${algorithm.toUpperCase()} at T=${vector.seconds}s gives ${vector[algorithm]}`, () => {
        const step = timeStep(vector.seconds * 1000);
        expect(totpCode(SEEDS[algorithm], step, { digits: 8, algorithm })).toBe(vector[algorithm]);
      });
    }
  }

  it("defaults to 6 digits of SHA-1 (the last 6 digits of the 8-digit vector)", () => {
    expect(totpCode(SEEDS.sha1, timeStep(59_000))).toBe("287082");
    expect(totpCode(SEEDS.sha1, timeStep(new Date(1111111109_000)))).toBe("081804");
  });
});

describe("TOTP (RFC 6238): 30 s step, drift of ±1 step accepted and ±2 rejected", () => {
  // Fixed secret and time, so the test is deterministic (no accidental code collisions).
  const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  const key = base32Decode(secret);
  const at = new Date("2030-05-17T10:00:12Z");
  const current = timeStep(at);

  it("uses 30-second steps", () => {
    expect(timeStep(new Date("2030-05-17T10:00:00Z"))).toBe(current);
    expect(timeStep(new Date("2030-05-17T10:00:29.999Z"))).toBe(current);
    expect(timeStep(new Date("2030-05-17T10:00:30Z"))).toBe(current + 1);
    expect(timeStep(at)).toBe(Math.floor(at.getTime() / 1000 / 30));
  });

  it("honours a wider or narrower window when asked", () => {
    expect(matchTotpStep(secret, totpCode(key, current + 2), at, 2)).toBe(current + 2);
    expect(matchTotpStep(secret, totpCode(key, current + 1), at, 0)).toBeNull();
  });

  it("accepts the codes of steps current-1, current and current+1 and returns that step", () => {
    for (const offset of [-1, 0, 1]) {
      const code = totpCode(key, current + offset);
      expect(matchTotpStep(secret, code, at)).toBe(current + offset);
    }
  });

  it("rejects the codes of steps current-2 and current+2", () => {
    const nearby = new Set([-1, 0, 1].map((o) => totpCode(key, current + o)));
    for (const offset of [-2, 2]) {
      const code = totpCode(key, current + offset);
      expect(nearby.has(code)).toBe(false);
      expect(matchTotpStep(secret, code, at)).toBeNull();
    }
  });

  it("accepts a code typed with spaces, and rejects anything that is not exactly 6 digits", () => {
    const code = totpCode(key, current);
    expect(matchTotpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at)).toBe(current);
    expect(matchTotpStep(secret, `0${code}`, at)).toBeNull();
    expect(matchTotpStep(secret, code.slice(1), at)).toBeNull();
    expect(matchTotpStep(secret, "", at)).toBeNull();
    expect(matchTotpStep(secret, "12345a", at)).toBeNull();
    expect(matchTotpStep(secret, "١٢٣٤٥٦", at)).toBeNull();
  });

  it("rejects a code computed for another secret", () => {
    const code = totpCode(base32Decode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), current);
    const ours = new Set([-1, 0, 1].map((o) => totpCode(key, current + o)));
    expect(ours.has(code)).toBe(false);
    expect(matchTotpStep(secret, code, at)).toBeNull();
  });
});

describe("TOTP secrets and base32", () => {
  it("generates 160-bit secrets as unpadded upper-case base32, different every time", () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(a).not.toBe(b);
  });

  it("matches the RFC 4648 test vectors (without padding)", () => {
    const cases: Array<[string, string]> = [
      ["", ""],
      ["f", "MY"],
      ["fo", "MZXQ"],
      ["foo", "MZXW6"],
      ["foob", "MZXW6YQ"],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI"],
    ];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it("round-trips any bytes, and decodes lower case, spaces and padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const encoded = base32Encode(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(base32Decode(encoded).equals(Buffer.from(bytes))).toBe(true);
        const typed = `${encoded.toLowerCase().replace(/(.{4})/g, "$1 ")}====`;
        expect(base32Decode(typed).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it("throws on characters outside the alphabet", () => {
    expect(() => base32Decode("MZXW1")).toThrow(/base32/);
    expect(() => base32Decode("MZXW8")).toThrow(/base32/);
    expect(() => base32Decode("MZ-XW")).toThrow(/base32/);
  });
});

describe("TOTP enrolment URI and QR code", () => {
  it("builds an otpauth://totp URI with the issuer, account, secret and parameters encoded", () => {
    const uri = totpUri({ secret: "JBSWY3DPEHPK3PXP", accountName: "ana+ops@acme.example", issuer: "Countersign & Co" });
    expect(uri).toBe(
      "otpauth://totp/Countersign%20%26%20Co:ana%2Bops%40acme.example" +
        "?issuer=Countersign%20%26%20Co&secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30",
    );
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe("otpauth:");
    expect(parsed.searchParams.get("issuer")).toBe("Countersign & Co");
    expect(parsed.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
  });

  it("renders the URI as an SVG and as a base64 SVG data URL for an <img>", async () => {
    const uri = totpUri({ secret: generateTotpSecret(), accountName: "ana@acme.example", issuer: "Countersign" });
    const svg = await renderQrSvg(uri);
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const dataUrl = await renderQrDataUrl(uri);
    expect(dataUrl.startsWith("data:image/svg+xml;base64,")).toBe(true);
    const decoded = Buffer.from(dataUrl.slice("data:image/svg+xml;base64,".length), "base64").toString("utf8");
    expect(decoded).toBe(svg);
  });
});
