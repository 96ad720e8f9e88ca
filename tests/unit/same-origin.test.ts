import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "@/lib/http/same-origin";

const headers = (values: Record<string, string>) => new Headers(values);

describe("a route handler that acts on the session cookie accepts only requests from our own pages", () => {
  it("accepts a fetch from a page on the same host", () => {
    expect(isSameOriginRequest(headers({ host: "app.example.com", origin: "https://app.example.com", "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOriginRequest(headers({ host: "127.0.0.1:3210", origin: "http://127.0.0.1:3210" }))).toBe(true);
  });

  it("refuses another site, a sibling subdomain, and a request without Origin", () => {
    expect(isSameOriginRequest(headers({ host: "app.example.com", origin: "https://evil.example" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "app.example.com", origin: "https://other.example.com", "sec-fetch-site": "same-site" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "app.example.com", origin: "https://app.example.com", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "app.example.com" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "app.example.com", origin: "null" }))).toBe(false);
  });
});
