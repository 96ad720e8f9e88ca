import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/core/action-result";

const APP_URL = "https://accounts.example.com";
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.APP_URL;
  process.env.APP_URL = APP_URL;
});
afterEach(() => {
  if (saved === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = saved;
});

// Values that have sent people off-site from redirect checks that read the raw string. Each is
// given as the server sees it, after the query string was decoded.
const BYPASSES: Array<[string, string]> = [
  ["a tab after the first slash (/%09/evil.com)", "/\t/evil.com"],
  ["a newline after the first slash (/%0a/evil.com)", "/\n/evil.com"],
  ["a carriage return and newline", "/\r\n/evil.com"],
  ["a tab between two slashes", "/\t\t/evil.com"],
  ["protocol-relative", "//evil.com"],
  ["protocol-relative with a path", "//evil.com/orgs/acme"],
  ["a backslash after the slash", "/\\evil.com"],
  ["a backslash and a slash", "/\\/evil.com"],
  ["three slashes", "///evil.com"],
  ["a dot segment folding into //", "/.//evil.com"],
  ["a dot-dot segment folding into //", "/a/..//evil.com"],
  ["an encoded dot segment folding into //", "/%2e//evil.com"],
  ["an encoded dot-dot segment folding into //", "/%2E%2E//evil.com"],
  ["https without slashes", "https:evil.com"],
  ["an absolute URL", "https://evil.com/"],
  ["an absolute URL on our host name over http", "http://accounts.example.com/orgs"],
  ["an absolute URL on a look-alike host", "https://accounts.example.com.evil.com/"],
  ["userinfo that names our host", "https://accounts.example.com@evil.com/"],
  ["javascript:", "javascript:alert(document.domain)"],
  ["javascript: behind a slash-less scheme", "JaVaScRiPt:alert(1)"],
  ["data:", "data:text/html,<script>alert(1)</script>"],
  ["a leading space", " /orgs"],
  ["a leading tab", "\t//evil.com"],
  ["a NUL before the slash", "\u0000/orgs"],
  ["an ideographic full stop host", "//evil\u3002com"],
  ["a full-width solidus host", "/\uFF0Fevil.com"],
  ["empty", ""],
  ["a relative path", "orgs/acme"],
  ["a very long value", `/${"a".repeat(5000)}`],
];

describe("Redirect targets after sign-in are same-origin paths, resolved against `APP_URL`", () => {
  for (const [name, value] of BYPASSES) {
    it(`refuses ${name}: the fallback comes back`, () => {
      const result = safeRedirectPath(value, "/fallback");
      // Either the fallback, or (for look-alikes the parser keeps on our origin) a path that a
      // browser resolves on our origin: never protocol-relative, never with a control character.
      if (result !== "/fallback") {
        expect(new URL(result, APP_URL).origin).toBe(APP_URL);
        expect(result).toMatch(/^\/(?![/\\])/);
        expect(result).not.toMatch(/[\u0000-\u001f\u007f]/);
      }
      expect(new URL(result, APP_URL).origin).toBe(APP_URL);
    });
  }

  it("the off-site and scheme bypasses come back as exactly the fallback", () => {
    for (const value of ["/\t/evil.com", "/\n/evil.com", "//evil.com", "/\\evil.com", "/.//evil.com", "/%2e//evil.com", "https:evil.com", "javascript:alert(1)", "https://evil.com/", `/${"a".repeat(5000)}`]) {
      expect(safeRedirectPath(value, "/fallback"), JSON.stringify(value)).toBe("/fallback");
    }
  });

  it("keeps encoded look-alikes on our origin, still encoded: /%09/evil.com, /%0a/…, /%5Cevil.com, /%2F%2Fevil.com", () => {
    expect(safeRedirectPath("/%09/evil.com")).toBe("/%09/evil.com");
    expect(safeRedirectPath("/%0a/evil.com")).toBe("/%0a/evil.com");
    expect(safeRedirectPath("/%5Cevil.com")).toBe("/%5Cevil.com");
    expect(safeRedirectPath("/%2F%2Fevil.com")).toBe("/%2F%2Fevil.com");
    expect(safeRedirectPath("/\u3002evil.com")).toBe("/%E3%80%82evil.com");
  });

  it("returns the normalized path: control characters and NUL percent-encoded, dot segments folded, query and hash kept", () => {
    expect(safeRedirectPath("/orgs/acme/orders?status=open&page=2#top")).toBe("/orgs/acme/orders?status=open&page=2#top");
    expect(safeRedirectPath("/orgs/./acme/../acme/orders")).toBe("/orgs/acme/orders");
    expect(safeRedirectPath("/orgs\u0000acme")).toBe("/orgs%00acme");
    expect(safeRedirectPath("/orgs/\u007f")).toBe("/orgs/%7F");
    expect(safeRedirectPath("/a b")).toBe("/a%20b");
    // A lone surrogate is not valid UTF-16; the parser writes U+FFFD instead of failing.
    expect(safeRedirectPath("/\uD800")).toBe("/%EF%BF%BD");
  });

  it("anything but a string is the fallback; the fallback defaults to /", () => {
    for (const value of [undefined, null, 42, ["/orgs"], { toString: () => "/orgs" }]) expect(safeRedirectPath(value)).toBe("/");
  });

  it("is judged against APP_URL's origin, whatever host the request used", () => {
    process.env.APP_URL = "http://127.0.0.1:3510/countersign";
    expect(safeRedirectPath("/orgs/acme")).toBe("/orgs/acme");
    expect(safeRedirectPath("//127.0.0.1:3510/orgs")).toBe("/");
  });
});
