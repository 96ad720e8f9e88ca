import { DOMParser } from "@xmldom/xmldom";

export const SAML_ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
export const SAML_PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
export const SAML_METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
export const XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

/** Why an XML document was refused, before or while parsing it. */
export class UnsafeXmlError extends Error {
  constructor(readonly reason: "xml-doctype" | "xml-malformed") {
    super(reason === "xml-doctype" ? "XML with a DOCTYPE or entity declaration is refused" : "not well-formed XML");
  }
}

/**
 * Refuses a document type declaration outright: SAML messages and metadata never need one, and
 * refusing it means no DTD is fetched and no entity is expanded, whatever the parser below would
 * do (the checklist's "never fetch a DTD, never expand entities").
 */
export function assertNoDoctype(xml: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new UnsafeXmlError("xml-doctype");
}

/** Parses XML strictly (any error or warning refuses it), after the DOCTYPE check. */
export function parseSafeXml(xml: string): Document {
  assertNoDoctype(xml);
  const fail = () => {
    throw new UnsafeXmlError("xml-malformed");
  };
  const doc = new DOMParser({ errorHandler: { error: fail, fatalError: fail, warning: fail } }).parseFromString(xml, "text/xml");
  if (!doc?.documentElement) fail();
  return doc;
}

/** Direct children of `parent` with this namespace and local name (never descendants). */
export function childElements(parent: Element | Document, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) found.push(node as Element);
  }
  return found;
}

/** The single direct child, or null when there is none; several are refused by the caller's rule. */
export function onlyChild(parent: Element | Document, ns: string, localName: string): Element | null {
  const found = childElements(parent, ns, localName);
  return found.length === 1 ? found[0]! : null;
}

/** All the text inside an element, comments and all ignored: `a<!---->b` reads as "ab", never "a". */
export function fullText(element: Element): string {
  return (element.textContent ?? "").trim();
}
