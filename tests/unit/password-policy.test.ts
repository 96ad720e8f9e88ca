import { describe, expect, it } from "vitest";
import { checkNewPassword, commonPasswordCount } from "@/lib/identity/password-policy";

describe("Accept passwords of 8 characters or more, including 64+ characters and Unicode", () => {
  it("accepts 8 characters and refuses 7", () => {
    expect(checkNewPassword("k7#vQ9!z")).toBeNull();
    expect(checkNewPassword("k7#vQ9!")).toBe("must be at least 8 characters");
    expect(checkNewPassword("")).toBe("must be at least 8 characters");
  });

  it("accepts 64+ and 100-character passwords, up to 1024 characters", () => {
    expect(checkNewPassword("x".repeat(40) + "-correct-horse-battery-staple")).toBeNull();
    const hundred = Array.from({ length: 100 }, (_, i) => "qZ7$mR2!kP"[i % 10]).join("");
    expect([...hundred]).toHaveLength(100);
    expect(checkNewPassword(hundred)).toBeNull();
    expect(checkNewPassword("ab3".repeat(341) + "d")).toBeNull(); // 1024
    expect(checkNewPassword("ab3".repeat(341) + "de")).toBe("must be at most 1024 characters");
  });

  it("accepts emoji, accents and CJK, counting Unicode code points rather than UTF-16 units", () => {
    expect(checkNewPassword("🔑🌋🦊🎻🚲🍋🧭🪐")).toBeNull(); // 8 code points, 16 UTF-16 units
    expect(checkNewPassword("🔑🌋🦊🎻🚲🍋🧭")).toBe("must be at least 8 characters"); // 7 code points, 14 units
    expect(checkNewPassword("crème brûlée à café")).toBeNull();
    expect(checkNewPassword("正しい馬電池ホチキス")).toBeNull();
    expect(checkNewPassword("Pässwörd-ünïcode")).toBeNull();
  });

  it("compares exactly as typed: no Unicode normalization, no trimming", () => {
    const nfc = "Pässwörd-ünïcode".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    expect([...nfd].length).toBeGreaterThan([...nfc].length);
    expect(checkNewPassword(nfc)).toBeNull();
    expect(checkNewPassword(nfd)).toBeNull();
    // Spaces count: 7 characters plus a space is 8, and is not trimmed down to 7.
    expect(checkNewPassword(" zq8#kLm")).toBeNull();
    expect(checkNewPassword("       x")).toBeNull();
  });
});

describe("No composition rules", () => {
  it("accepts an all-lower-case passphrase with no digits or symbols", () => {
    expect(checkNewPassword("correct horse battery staple")).toBeNull();
    expect(checkNewPassword("thequietlibrarianwaterstheferns")).toBeNull();
  });

  it("accepts all digits, all upper case or all symbols when not on the common list", () => {
    expect(checkNewPassword("80417362995")).toBeNull();
    expect(checkNewPassword("ZEBRA LANTERN ORCHID")).toBeNull();
    expect(checkNewPassword("#%&*(!@^)")).toBeNull();
  });
});

describe("Reject the most common passwords from a shipped list of thousands", () => {
  const COMMON = "is one of the most common passwords; choose another";

  it("ships a list of more than 10,000 passwords", () => {
    expect(commonPasswordCount()).toBeGreaterThan(10_000);
  });

  it("rejects the common passwords", () => {
    for (const password of ["password", "12345678", "qwertyuiop", "iloveyou", "password1"]) {
      expect(checkNewPassword(password)).toBe(COMMON);
    }
  });

  it("rejects case variants of list entries (the list is lower case)", () => {
    expect(checkNewPassword("PASSWORD1")).toBe(COMMON);
    expect(checkNewPassword("Password")).toBe(COMMON);
    expect(checkNewPassword("QwertyUiop")).toBe(COMMON);
  });

  it("checks length before the list, and leaves uncommon passwords alone", () => {
    expect(checkNewPassword("123456")).toBe("must be at least 8 characters");
    expect(checkNewPassword("wombat-harbour-1987")).toBeNull();
  });
});

describe("Context-specific words: the email address and name", () => {
  it("rejects the email address or its local part, in any case", () => {
    const context = { email: "Ana.Ruiz@acme.example", name: "Ana Ruiz Lopez" };
    expect(checkNewPassword("ana.ruiz@acme.example", context)).toBe("must not be your email address");
    expect(checkNewPassword("ANA.RUIZ@ACME.EXAMPLE", context)).toBe("must not be your email address");
    expect(checkNewPassword("ana.ruiz", context)).toBe("must not be your email address");
    expect(checkNewPassword("Ana Ruiz Lopez", context)).toBe("must not be your name");
    expect(checkNewPassword("ana.ruiz.2031!", context)).toBeNull();
  });
});
