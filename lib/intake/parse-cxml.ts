import type { Address, CanonicalOrder, Identifier, OrderKind, OrderLine, Party } from "./canonical-order";
import { buildDocument, fail, guardMessage, readText, type Envelope, type ParseResult } from "./parse-result";
import { compact, optionalText, readDate, readDecimal, readQuantity } from "./read-values";
import { child, childrenOf, readXml, textOf, type XmlElement } from "./xml/read-xml";

// cXML OrderRequest. cXML documents carry a DOCTYPE naming cXML.dtd: it is accepted as a name only (never
// fetched, never expanded); one with an internal subset is refused. The From/To/Sender credentials go into
// the envelope so the channel can check the SharedSecret before it trusts anything else in the document.

export type CxmlCredential = { domain: string; identity: string; sharedSecret?: string };

const KIND: Record<string, OrderKind> = { new: "original", update: "update", delete: "cancel" };
const at = (ns: string) => (name: string): [string, string] => [ns, name];
const c = at("");

export function parseCxml(bytes: Buffer | string, options: { maxBytes?: number } = {}): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes);
    if (typeof text !== "string") return { ok: false, error: text };
    const root = readXml(text, { allowExternalDoctype: true });
    if (root.ns !== "" || root.name !== "cXML") fail("unsupported", root.path, "the root element must be cXML");
    const header = child(root, c("Header"));
    const credentials = {
      from: readCredentials(child(header, c("From"))),
      to: readCredentials(child(header, c("To"))),
      sender: readCredentials(child(header, c("Sender"))),
    };
    const request = child(root, c("Request"));
    const orderRequests = childrenOf(request, "", "OrderRequest");
    if (orderRequests.length === 0) fail("unsupported", "/cXML/Request", "the document holds no OrderRequest");
    const senders: Identifier[] = credentials.from.map((f) => ({ scheme: "cxml-from", qualifier: f.domain, value: f.identity }));
    const envelope: Envelope = {
      format: "cxml", senders, receivers: credentials.to.map((t) => ({ scheme: "cxml-to", qualifier: t.domain, value: t.identity })),
      controlNumbers: compact({ payloadID: root.attrs.payloadID ?? "", timestamp: root.attrs.timestamp }) as Record<string, string>,
      flags: [], credentials, deploymentMode: request?.attrs.deploymentMode === "test" ? "test" : "production",
    };
    const documents = orderRequests.map((request, index) => buildDocument(index, "", () => mapOrderRequest(request, senders)));
    return { ok: true, documents, envelope };
  });
}

function readCredentials(parent: XmlElement | undefined): CxmlCredential[] {
  return childrenOf(parent, "", "Credential").map((credential) => compact({
    domain: credential.attrs.domain ?? "",
    identity: textOf(child(credential, c("Identity"))) ?? "",
    sharedSecret: textOf(child(credential, c("SharedSecret"))),
  }));
}

function mapOrderRequest(request: XmlElement, senders: Identifier[]): CanonicalOrder {
  const header = child(request, c("OrderRequestHeader")) ?? fail("missing", `${request.path}/OrderRequestHeader`, "the OrderRequestHeader is missing");
  const attr = (name: string) => optionalText(header.attrs[name]);
  const documentNumber = attr("orderID") ?? fail("missing", `${header.path}/@orderID`, "the order id is missing");
  const type = attr("type") ?? "new";
  const kind = KIND[type] ?? fail("unsupported", `${header.path}/@type`, `order type ${JSON.stringify(type)} is not new, update or delete`);
  const total = child(header, c("Total"), c("Money"));
  const order: CanonicalOrder = compact({
    documentNumber, kind, senders,
    reference: attr("orderVersion") ? `version ${attr("orderVersion")}` : undefined,
    orderDate: attr("orderDate") ? readDate(attr("orderDate")!, `${header.path}/@orderDate`, "order date") : undefined,
    currency: optionalText(total?.attrs.currency),
    shipTo: readAddressParty(child(header, c("ShipTo"), c("Address"))),
    billTo: readAddressParty(child(header, c("BillTo"), c("Address"))),
    lines: childrenOf(request, "", "ItemOut").map(readItemOut),
    claims: compact({ total: total ? readDecimal(total.text, total.path, "total") : undefined }),
    notes: childrenOf(header, "", "Comments").map((comment) => comment.text.trim()).filter(Boolean),
  });
  return order;
}

function readItemOut(item: XmlElement, index: number): OrderLine {
  const itemId = child(item, c("ItemID"));
  const detail = child(item, c("ItemDetail"));
  const price = child(detail, c("UnitPrice"), c("Money"));
  const description = child(detail, c("Description"));
  const delivery = optionalText(item.attrs.requestedDeliveryDate);
  const date = delivery ? readDate(delivery, `${item.path}/@requestedDeliveryDate`, "requested delivery date") : undefined;
  const notes = childrenOf(item, "", "Comments").map((comment) => comment.text.trim()).filter(Boolean);
  const auxiliary = textOf(child(itemId, c("SupplierPartAuxiliaryID")));
  const manufacturer = textOf(child(detail, c("ManufacturerPartID")));
  const itemIds: Identifier[] = [];
  if (auxiliary) itemIds.push({ scheme: "cxml-supplier-aux", value: auxiliary });
  if (manufacturer) itemIds.push({ scheme: "cxml-manufacturer", value: manufacturer });
  return compact({
    lineNumber: optionalText(item.attrs.lineNumber) ?? String(index + 1),
    vendorPartNumber: textOf(child(itemId, c("SupplierPartID"))),
    buyerPartNumber: textOf(child(itemId, c("BuyerPartID"))),
    itemIds: itemIds.length ? itemIds : undefined,
    description: description ? [description.text, textOf(child(description, c("ShortName")))].map((s) => s?.trim()).filter(Boolean).join(" ") || undefined : undefined,
    quantity: readQuantity(item.attrs.quantity ?? "", `${item.path}/@quantity`),
    unitOfMeasure: textOf(child(detail, c("UnitOfMeasure"))),
    unitPrice: price ? readDecimal(price.text, price.path, "unit price") : undefined,
    requestedDelivery: date ? { earliest: date, latest: date } : undefined,
    notes: notes.length ? notes : undefined,
  });
}

function readAddressParty(address: XmlElement | undefined): Party | undefined {
  if (!address) return undefined;
  const postal = child(address, c("PostalAddress"));
  const id = optionalText(address.attrs.addressID);
  const lines = [...childrenOf(postal, "", "DeliverTo"), ...childrenOf(postal, "", "Street")].map((e) => e.text.trim()).filter(Boolean);
  const country = child(postal, c("Country"));
  const postalAddress: Address | undefined = postal ? compact({
    lines, city: textOf(child(postal, c("City"))), region: textOf(child(postal, c("State"))),
    postalCode: textOf(child(postal, c("PostalCode"))), country: optionalText(country?.attrs.isoCountryCode) ?? textOf(country),
  }) : undefined;
  return compact({
    name: textOf(child(address, c("Name"))),
    identifiers: id ? [{ scheme: optionalText(address.attrs.addressIDDomain) ?? "cxml-address", value: id }] : [],
    address: postalAddress,
  });
}
