import type { Address, CanonicalOrder, Identifier, OrderKind, OrderLine, Party } from "./canonical-order";
import { buildDocument, fail, guardMessage, readText, type Envelope, type ParseResult } from "./parse-result";
import { isObject, jsonText, pointer, readJson } from "./read-json";
import { compact, optionalText, readDate, readDecimal, readQuantity } from "./read-values";

// Shopify orders/create webhooks (the body is the order itself; the REST API and some fixtures wrap it as
// { "order": … }). The shop comes from the X-Shopify-Shop-Domain header, which the channel passes in after
// checking the HMAC; the topic says whether this is a create, an update or a cancellation.

const TOPIC_KIND: Record<string, OrderKind> = { "orders/create": "original", "orders/updated": "update", "orders/edited": "update", "orders/cancelled": "cancel" };

export type ShopifyOptions = { maxBytes?: number; shopDomain?: string; topic?: string };

export function parseShopify(bytes: Buffer | string, options: ShopifyOptions = {}): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes);
    if (typeof text !== "string") return { ok: false, error: text };
    const json = readJson(text);
    if (!isObject(json)) fail("syntax", "/", "the webhook body must be a JSON object");
    const wrapped = isObject(json.order) && json.line_items === undefined;
    const order = wrapped ? (json.order as Record<string, unknown>) : json;
    const base = wrapped ? ["order"] : [];
    const kind = options.topic === undefined ? "original" : TOPIC_KIND[options.topic] ?? fail("unsupported", "topic", `webhook topic ${JSON.stringify(options.topic)} is not an order topic`);
    const customerId = isObject(order.customer) ? jsonText(order.customer.id) : undefined;
    const senders: Identifier[] = [];
    if (options.shopDomain) senders.push({ scheme: "shopify-shop", value: options.shopDomain });
    if (customerId) senders.push({ scheme: "shopify-customer", value: customerId });
    const envelope: Envelope = {
      format: "shopify", senders, receivers: [], flags: [],
      controlNumbers: compact({ updatedAt: jsonText(order.updated_at) }) as Record<string, string>,
      test: order.test === true,
    };
    return { ok: true, documents: [buildDocument(0, "", () => mapShopifyOrder(order, base, senders, kind))], envelope };
  });
}

function mapShopifyOrder(order: Record<string, unknown>, base: string[], senders: Identifier[], kind: OrderKind): CanonicalOrder {
  const at = (...rest: Array<string | number>) => pointer(...base, ...rest);
  const id = jsonText(order.id) ?? fail("missing", at("id"), "the order id is missing");
  if (!Array.isArray(order.line_items)) fail("missing", at("line_items"), "the order has no line_items list");
  const createdAt = jsonText(order.created_at);
  const total = jsonText(order.total_line_items_price);
  const notes = [optionalText(jsonText(order.note))];
  if (Array.isArray(order.note_attributes)) {
    for (const attribute of order.note_attributes) {
      if (isObject(attribute)) notes.push(optionalText([jsonText(attribute.name), jsonText(attribute.value)].filter(Boolean).join(": ")));
    }
  }
  return compact({
    documentNumber: id,
    kind,
    reference: optionalText(jsonText(order.name)),
    senders,
    orderDate: createdAt ? readDate(createdAt, at("created_at"), "created_at") : undefined,
    currency: optionalText(jsonText(order.currency))?.toUpperCase(),
    buyer: readAddress(order.billing_address, order.customer),
    billTo: readAddress(order.billing_address),
    shipTo: readAddress(order.shipping_address),
    lines: (order.line_items as unknown[]).map((item, i) => readLineItem(item, i, (...rest) => at("line_items", i, ...rest))),
    claims: compact({ total: total !== undefined ? readDecimal(total, at("total_line_items_price"), "total_line_items_price") : undefined }),
    notes: notes.filter((n): n is string => Boolean(n)),
  });
}

function readLineItem(item: unknown, index: number, at: (...rest: Array<string | number>) => string): OrderLine {
  if (!isObject(item)) fail("invalid-value", at(), "a line item must be an object");
  const quantity = jsonText(item.quantity) ?? fail("missing", at("quantity"), "the quantity is missing");
  const price = jsonText(item.price);
  const itemIds: Identifier[] = [];
  for (const [field, scheme] of [["id", "shopify-line-item"], ["variant_id", "shopify-variant"], ["product_id", "shopify-product"]] as const) {
    const value = jsonText(item[field]);
    if (value) itemIds.push({ scheme, value });
  }
  return compact({
    lineNumber: String(index + 1),
    vendorPartNumber: optionalText(jsonText(item.sku)),
    itemIds: itemIds.length ? itemIds : undefined,
    description: optionalText(jsonText(item.name)) ?? optionalText(jsonText(item.title)),
    quantity: readQuantity(quantity, at("quantity")),
    unitPrice: price !== undefined ? readDecimal(price, at("price"), "price") : undefined,
  });
}

function readAddress(raw: unknown, customer?: unknown): Party | undefined {
  if (!isObject(raw)) return undefined;
  const field = (name: string) => optionalText(jsonText(raw[name]));
  const address: Address = compact({
    lines: [field("address1"), field("address2")].filter((s): s is string => Boolean(s)),
    city: field("city"), region: field("province_code") ?? field("province"), postalCode: field("zip"), country: field("country_code") ?? field("country"),
  });
  const customerId = isObject(customer) ? jsonText(customer.id) : undefined;
  return compact({
    name: field("company") ?? field("name"),
    identifiers: customerId ? [{ scheme: "shopify-customer", value: customerId }] : [],
    address,
  });
}
