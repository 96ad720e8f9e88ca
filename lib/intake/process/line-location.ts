import type { IntakeFormat } from "../parse-payload";

// Where a line and its fields sit in the sender's own payload, for reasons found after parsing (an
// unknown SKU, a quantity that is not a whole number): the segment and element for EDI, an XPath for
// XML, a JSON pointer, or a CSV line, so the person reading a dead letter can find it in the raw bytes.

export type LineField = "quantity" | "unitPrice" | "part" | "line";

const X12: Record<LineField, string> = { line: "", quantity: " element 02", unitPrice: " element 04", part: " element 07" };
const EDIFACT: Record<LineField, string> = { line: "", quantity: " QTY element 01.2", unitPrice: " PRI element 01.2", part: " element 03.1" };

/**
 * `documentIndex` is the document's position in the message (several ST/SE, several POs in one file);
 * `inArray` says whether a JSON body was an array of orders (its pointers then start with the index).
 */
export function lineLocation(format: IntakeFormat, lineIndex: number, field: LineField, documentIndex = 0, inArray = false): string {
  const n = lineIndex + 1;
  switch (format) {
    case "x12-850": return `PO1[${n}]${X12[field]}`;
    case "edifact": return `LIN[${n}]${EDIFACT[field]}`;
    case "cxml": return `/cXML/Request/OrderRequest/ItemOut[${n}]${{ line: "", quantity: "/@quantity", unitPrice: "/ItemDetail/UnitPrice/Money", part: "/ItemID/SupplierPartID" }[field]}`;
    case "ubl": return `/Order/cac:OrderLine[${n}]/cac:LineItem${{ line: "", quantity: "/cbc:Quantity", unitPrice: "/cac:Price/cbc:PriceAmount", part: "/cac:Item/cac:SellersItemIdentification/cbc:ID" }[field]}`;
    case "shopify": return `/line_items/${lineIndex}${{ line: "", quantity: "/quantity", unitPrice: "/price", part: "/sku" }[field]}`;
    case "json": return `${inArray ? `/${documentIndex}` : ""}/lines/${lineIndex}${{ line: "", quantity: "/quantity", unitPrice: "/unitPrice", part: "/vendorPartNumber" }[field]}`;
    case "csv": return `PO ${documentIndex + 1}, line ${n}${{ line: "", quantity: ", quantity", unitPrice: ", unit price", part: ", part number" }[field]}`;
  }
}

/** Header fields, for the same purpose. */
export function headerLocation(format: IntakeFormat, field: "currency" | "orderDate" | "shipTo" | "sender" | "lines", documentIndex = 0, inArray = false): string {
  switch (format) {
    case "x12-850": return { currency: "CUR element 02", orderDate: "BEG element 05", shipTo: "N1*ST", sender: "ISA element 06", lines: "PO1" }[field];
    case "edifact": return { currency: "CUX element 01.2", orderDate: "DTM+137", shipTo: "NAD+DP", sender: "UNB element 02", lines: "LIN" }[field];
    case "cxml": return { currency: "/cXML/Request/OrderRequest/OrderRequestHeader/Total/Money/@currency", orderDate: "/cXML/Request/OrderRequest/OrderRequestHeader/@orderDate", shipTo: "/cXML/Request/OrderRequest/OrderRequestHeader/ShipTo", sender: "/cXML/Header/From/Credential", lines: "/cXML/Request/OrderRequest/ItemOut" }[field];
    case "ubl": return { currency: "/Order/cbc:DocumentCurrencyCode", orderDate: "/Order/cbc:IssueDate", shipTo: "/Order/cac:Delivery/cac:DeliveryLocation", sender: "/Order/cac:BuyerCustomerParty", lines: "/Order/cac:OrderLine" }[field];
    case "shopify": return { currency: "/currency", orderDate: "/created_at", shipTo: "/shipping_address", sender: "X-Shopify-Shop-Domain", lines: "/line_items" }[field];
    case "json": return `${inArray ? `/${documentIndex}` : ""}/${field === "sender" ? "senders" : field}`;
    case "csv": return `PO ${documentIndex + 1}, ${{ currency: "currency", orderDate: "order date", shipTo: "ship-to", sender: "sender", lines: "lines" }[field]}`;
  }
}
