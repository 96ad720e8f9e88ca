import { z } from "zod";
import { getDb, type Db, type Tx } from "@/db/client";
import { enterSupplierScope } from "@/lib/accounts/supplier-scope";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { resolveCatalogViewer, type CatalogViewer } from "./catalog-viewer";

export const recordCatalogReadDeniedCommand = defineCommand({
  name: "catalog.read.denied",
  description: "A member was refused the catalog: a customer's member without orders:create or orders:read, or supplier staff without catalog:manage or accounts:read (the reason in the metadata).",
  access: "authenticated",
  input: z.object({ reason: z.string().max(200) }),
  async run(_ctx, input) {
    return { result: null, outcome: "denied", metadata: input };
  },
});

/**
 * The catalog's reads, for pages and routes: one transaction that works out who is looking and
 * what they may see. Supplier staff with accounts:read read in the supplier scope, where the
 * account prices are visible; everyone else in their own org's. A refusal is recorded.
 */
export async function readCatalog<T>(principal: Principal, meta: RequestMeta, fn: (tx: Tx, viewer: CatalogViewer) => Promise<T>, db: Db = getDb()): Promise<T> {
  try {
    return await readAs(
      principal,
      async (tx) => {
        const viewer = await resolveCatalogViewer(tx, principal);
        if (viewer.kind === "supplier" && viewer.canSeeAccountPrices) await enterSupplierScope({ tx, principal }, "accounts:read");
        return fn(tx, viewer);
      },
      db,
    );
  } catch (error) {
    if (error instanceof ForbiddenError && principal.actor.type !== "anonymous") {
      await runCommand(recordCatalogReadDeniedCommand, principal, meta, { reason: error.message }, db).catch((e: unknown) => console.error("could not record a refused catalog read", e));
    }
    throw error;
  }
}
