import type { Address, CanonicalOrder, Identifier, OrderLine, Party } from "./canonical-order";
import { buildDocument, fail, guardMessage, readText, type Envelope, type ParseResult } from "./parse-result";
import { compact, optionalText, readDate, readDecimal, readQuantity } from "./read-values";
import { child, childrenOf, readXml, textOf, type XmlElement } from "./xml/read-xml";

// UBL 2.1 Order and Peppol BIS Order. Elements are matched by namespace URI, never by prefix: a sender may
// bind cbc/cac to any prefix, or make one the default namespace. UBL needs no DOCTYPE, so any is refused.

const ORDER = "urn:oasis:names:specification:ubl:schema:xsd:Order-2";
const CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const cac = (name: string): [string, string] => [CAC, name];
const cbc = (name: string): [string, string] => [CBC, name];
// GLN as UBL 2.1 writes it (schemeID "GLN") and as Peppol's ICD list does (0088).
const GLN_SCHEMES = new Set(["GLN", "0088"]);
const GTIN_SCHEMES = new Set(["GTIN", "0160"]);

export function parseUbl(bytes: Buffer | string, options: { maxBytes?: number } = {}): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes);
    if (typeof text !== "string") return { ok: false, error: text };
    const root = readXml(text, { allowExternalDoctype: false });
    if (root.ns !== ORDER || root.name !== "Order") {
      fail("unsupported", root.path, `the root element must be Order in namespace ${ORDER} (OrderChange and OrderCancellation are not read yet)`);
    }
    const buyerEndpoint = readEndpoint(child(root, cac("BuyerCustomerParty"), cac("Party"), cbc("EndpointID")));
    const sellerEndpoint = readEndpoint(child(root, cac("SellerSupplierParty"), cac("Party"), cbc("EndpointID")));
    const senders = buyerEndpoint ? [buyerEndpoint] : [];
    const envelope: Envelope = {
      format: "ubl", senders, receivers: sellerEndpoint ? [sellerEndpoint] : [], controlNumbers: {}, flags: [],
      customizationId: textOf(child(root, cbc("CustomizationID"))), profileId: textOf(child(root, cbc("ProfileID"))),
    };
    return { ok: true, documents: [buildDocument(0, "", () => mapOrder(root, senders))], envelope };
  });
}

function mapOrder(root: XmlElement, senders: Identifier[]): CanonicalOrder {
  const id = child(root, cbc("ID"));
  const issueDate = child(root, cbc("IssueDate"));
  const delivery = child(root, cac("Delivery"));
  const location = child(delivery, cac("DeliveryLocation"));
  const total = child(root, cac("AnticipatedMonetaryTotal"), cbc("LineExtensionAmount"));
  const shipToAddress = child(location, cac("Address"));
  const shipToIds = [child(location, cbc("ID")), child(shipToAddress, cbc("ID"))].flatMap((e) => readIds(e));
  const shipTo = location || delivery ? compact({
    name: textOf(child(delivery, cac("DeliveryParty"), cac("PartyName"), cbc("Name"))),
    identifiers: dedupe(shipToIds),
    address: readAddress(shipToAddress),
  }) : undefined;
  return compact({
    documentNumber: textOf(id) ?? fail("missing", `${root.path}/cbc:ID`, "the order number (cbc:ID) is missing"),
    kind: "original" as const,
    senders,
    orderDate: issueDate ? readDate(issueDate.text, issueDate.path, "issue date") : undefined,
    currency: textOf(child(root, cbc("DocumentCurrencyCode")))?.toUpperCase(),
    buyer: readParty(child(root, cac("BuyerCustomerParty"), cac("Party"))),
    seller: readParty(child(root, cac("SellerSupplierParty"), cac("Party"))),
    billTo: readParty(child(root, cac("AccountingCustomerParty"), cac("Party"))),
    shipTo: shipTo && (shipTo.name || shipTo.address || shipTo.identifiers.length) ? shipTo : undefined,
    requestedDelivery: readPeriod(child(delivery, cac("RequestedDeliveryPeriod"))),
    lines: childrenOf(root, CAC, "OrderLine").map(readOrderLine),
    claims: compact({ total: total ? readDecimal(total.text, total.path, "line extension total") : undefined }),
    notes: childrenOf(root, CBC, "Note").map((n) => n.text.trim()).filter(Boolean),
  });
}

function readOrderLine(orderLine: XmlElement): OrderLine {
  const item = child(orderLine, cac("LineItem")) ?? fail("missing", `${orderLine.path}/cac:LineItem`, "the order line has no LineItem");
  const quantity = child(item, cbc("Quantity")) ?? fail("missing", `${item.path}/cbc:Quantity`, "the quantity is missing");
  const price = child(item, cac("Price"), cbc("PriceAmount"));
  const basis = child(item, cac("Price"), cbc("BaseQuantity"));
  const amount = child(item, cbc("LineExtensionAmount"));
  const details = child(item, cac("Item"));
  const gtin = child(details, cac("StandardItemIdentification"), cbc("ID"));
  const notes = childrenOf(orderLine, CBC, "Note").map((n) => n.text.trim()).filter(Boolean);
  const description = [textOf(child(details, cbc("Name"))), textOf(child(details, cbc("Description")))].filter(Boolean).join(": ");
  return compact({
    lineNumber: textOf(child(item, cbc("ID"))) ?? fail("missing", `${item.path}/cbc:ID`, "the line id is missing"),
    buyerPartNumber: textOf(child(details, cac("BuyersItemIdentification"), cbc("ID"))),
    vendorPartNumber: textOf(child(details, cac("SellersItemIdentification"), cbc("ID"))),
    gtin: gtin && (!gtin.attrs.schemeID || GTIN_SCHEMES.has(gtin.attrs.schemeID)) ? textOf(gtin) : undefined,
    description: description || undefined,
    quantity: readQuantity(quantity.text, quantity.path),
    unitOfMeasure: optionalText(quantity.attrs.unitCode),
    unitPrice: price ? readDecimal(price.text, price.path, "price") : undefined,
    priceBasisQuantity: basis ? readDecimal(basis.text, basis.path, "base quantity") : undefined,
    claimedLineTotal: amount ? readDecimal(amount.text, amount.path, "line amount") : undefined,
    requestedDelivery: readPeriod(child(item, cac("Delivery"), cac("RequestedDeliveryPeriod"))),
    notes: notes.length ? notes : undefined,
  });
}

function readParty(party: XmlElement | undefined): Party | undefined {
  if (!party) return undefined;
  const identifiers = [
    ...readIds(child(party, cbc("EndpointID")), "peppol-endpoint"),
    ...childrenOf(party, CAC, "PartyIdentification").flatMap((p) => readIds(child(p, cbc("ID")))),
  ];
  return compact({
    name: textOf(child(party, cac("PartyName"), cbc("Name"))) ?? textOf(child(party, cac("PartyLegalEntity"), cbc("RegistrationName"))),
    identifiers: dedupe(identifiers),
    address: readAddress(child(party, cac("PostalAddress"))),
  });
}

function readIds(element: XmlElement | undefined, scheme?: string): Identifier[] {
  const value = textOf(element);
  if (!element || !value) return [];
  const schemeId = optionalText(element.attrs.schemeID);
  if (scheme) return [compact({ scheme, qualifier: schemeId, value })];
  return [schemeId && GLN_SCHEMES.has(schemeId) ? { scheme: "gln", value } : compact({ scheme: "ubl", qualifier: schemeId, value })];
}

function readEndpoint(element: XmlElement | undefined): Identifier | undefined {
  return readIds(element, "peppol-endpoint")[0];
}

function dedupe(ids: Identifier[]): Identifier[] {
  const seen = new Set<string>();
  return ids.filter((id) => { const key = `${id.scheme}|${id.qualifier ?? ""}|${id.value}`; return !seen.has(key) && seen.add(key); });
}

function readAddress(address: XmlElement | undefined): Address | undefined {
  if (!address) return undefined;
  const street = [textOf(child(address, cbc("StreetName"))), textOf(child(address, cbc("BuildingNumber")))].filter(Boolean).join(" ");
  const lines = [textOf(child(address, cbc("Postbox"))), street, textOf(child(address, cbc("AdditionalStreetName"))), textOf(child(address, cbc("Department")))]
    .filter((s): s is string => Boolean(s));
  for (const line of childrenOf(address, CAC, "AddressLine")) { const text = textOf(child(line, cbc("Line"))); if (text) lines.push(text); }
  return compact({
    lines, city: textOf(child(address, cbc("CityName"))), region: textOf(child(address, cbc("CountrySubentity"))),
    postalCode: textOf(child(address, cbc("PostalZone"))), country: textOf(child(address, cac("Country"), cbc("IdentificationCode"))),
  });
}

function readPeriod(period: XmlElement | undefined): { earliest?: string; latest?: string } | undefined {
  if (!period) return undefined;
  const start = child(period, cbc("StartDate"));
  const end = child(period, cbc("EndDate"));
  const window = compact({
    earliest: start ? readDate(start.text, start.path, "delivery start date") : undefined,
    latest: end ? readDate(end.text, end.path, "delivery end date") : undefined,
  });
  return window.earliest || window.latest ? window : undefined;
}
