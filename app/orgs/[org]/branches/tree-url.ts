import { isUuid } from "@/lib/core/ids";

/**
 * The tree's view lives in the URL: which nodes are open, which node's children are paged past
 * the first screen, and which branch the manage panel shows. Reloads and shared links keep it.
 */
export interface TreeState {
  open: string[];
  /** One node ("top" for the first level) whose children start after `cursor`. */
  page: { node: string; cursor: string } | null;
  manage: string | null;
}

/** Opening more than this many nodes at once means the URL was made by hand; the rest are ignored. */
export const MAX_OPEN = 40;

type SearchParams = Record<string, string | string[] | undefined>;

export function parseTreeState(params: SearchParams): TreeState {
  const one = (key: string) => {
    const v = params[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const open = [...new Set((one("open") ?? "").split(",").filter(isUuid))].slice(0, MAX_OPEN);
  const [node, cursor] = (one("page") ?? "").split(".", 2);
  const page = node && cursor && (node === "top" || isUuid(node)) && cursor.length <= 400 ? { node, cursor } : null;
  const manage = one("manage");
  return { open, page, manage: manage && isUuid(manage) ? manage : null };
}

export function treeHref(base: string, state: TreeState, hash = ""): string {
  const params = new URLSearchParams();
  if (state.open.length) params.set("open", state.open.join(","));
  if (state.page) params.set("page", `${state.page.node}.${state.page.cursor}`);
  if (state.manage) params.set("manage", state.manage);
  const query = params.toString().replaceAll("%2C", ",");
  return `${base}${query ? `?${query}` : ""}${hash}`;
}

export function toggleOpen(state: TreeState, id: string): TreeState {
  const open = state.open.includes(id) ? state.open.filter((o) => o !== id) : [...state.open, id].slice(-MAX_OPEN);
  return { ...state, open };
}
