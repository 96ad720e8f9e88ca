import { getDb, type Db } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { NotFoundError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { getOrder } from "./get-order";
import type { OrderDetail } from "./schemas";

/** The order as its detail route shows it, read after a command committed. */
export async function readOrderDetail(principal: Principal, orderId: string, db: Db = getDb()): Promise<OrderDetail> {
  const order = await readAs(principal, (tx) => getOrder(tx, principal, orderId), db);
  if (!order) throw new NotFoundError("Order");
  return order;
}
