import packageJson from "@/package.json";

/** The running build's version, as reported by /api/health and the OpenAPI document. */
export const appVersion: string = packageJson.version;
