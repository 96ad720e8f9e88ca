import type { Tx } from "@/db/client";
import { NoAccountError, type CatalogViewer } from "@/lib/catalog/catalog-viewer";
import { readCatalog } from "@/lib/catalog/read-catalog";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { loadRequestMeta } from "../../../load-viewer";

export type CatalogPageRead<T> = { kind: "ok"; data: T; viewer: CatalogViewer } | { kind: "forbidden"; message: string } | { kind: "no-account"; supplierName: string | null };

/** The catalog pages' read: the data, or why there is none for this member (said on the page). */
export async function readCatalogPage<T>(principal: Principal, fn: (tx: Tx, viewer: CatalogViewer) => Promise<T>): Promise<CatalogPageRead<T>> {
  try {
    let seen: CatalogViewer | null = null;
    const data = await readCatalog(principal, await loadRequestMeta(), (tx, viewer) => {
      seen = viewer;
      return fn(tx, viewer);
    });
    return { kind: "ok", data, viewer: seen! };
  } catch (error) {
    if (error instanceof NoAccountError) return { kind: "no-account", supplierName: error.supplierName };
    if (error instanceof ForbiddenError) return { kind: "forbidden", message: error.message };
    throw error;
  }
}
