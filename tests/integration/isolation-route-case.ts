import type { World } from "./isolation-world";

/** The shape of one row of the REST isolation table (isolation.test.ts and the ordering rows). */
export type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type Probe = (w: World) => Promise<{ status: number; body?: unknown }>;
export interface RouteCase {
  file: string;
  method: string;
  wrongOrg: Probe | "n/a";
  wrongBranch: Probe | "n/a";
  tooLittle: Probe | "n/a";
  selfEscalation?: Probe;
  supplierOnly?: Probe;
  expect: { wrongOrg?: number; wrongBranch?: number; tooLittle?: number; selfEscalation?: number; supplierOnly?: number };
}

export const h = (fn: unknown) => fn as Handler;

/** A response's status and body: JSON parsed (not JSON Lines), anything else as text. */
export async function answer(res: Response) {
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  const json = /json/.test(type) && !/ndjson/.test(type);
  return { status: res.status, body: text && json ? JSON.parse(text) : text };
}
