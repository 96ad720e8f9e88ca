import { XMLParser, XMLValidator } from "fast-xml-parser";
import { fail } from "../parse-result";

// XML as a tree of elements named by namespace URI, read safely: no entity from a DTD is ever expanded
// (fast-xml-parser's processEntities is off; we decode only XML's five predefined entities and character
// references ourselves), no DTD is ever fetched, an internal subset (where billion laughs and external
// entities live) is refused, and depth and size are bounded before the parser sees the text.

export type XmlElement = { ns: string; name: string; attrs: Record<string, string>; children: XmlElement[]; text: string; path: string };

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 200_000;

export function readXml(text: string, options: { allowExternalDoctype: boolean }): XmlElement {
  refuseDoctype(text, options.allowExternalDoctype);
  const body = text.replace(/<!DOCTYPE[^>[]*>/i, "");
  const valid = validate(body);
  if (valid !== true) fail("syntax", `line ${valid.err.line}, column ${valid.err.col}`, `the XML is not well-formed (${valid.err.msg.replace(/\.$/, "")})`);
  const parser = new XMLParser({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", parseTagValue: false, parseAttributeValue: false,
    processEntities: false, htmlEntities: false, trimValues: false, ignoreDeclaration: true, ignorePiTags: true,
    commentPropName: false, maxNestedTags: MAX_DEPTH,
  });
  const nodes = parseNodes(parser, body);
  const roots = nodes.filter((n) => elementName(n) !== undefined);
  if (roots.length !== 1) fail("syntax", "/", "the XML must have exactly one root element");
  const counter = { count: 0 };
  return toElement(roots[0]!, new Map([["", ""], ["xml", "http://www.w3.org/XML/1998/namespace"]]), `/${elementName(roots[0]!)}`, 1, counter);
}

type RawNode = Record<string, unknown>;

function validate(body: string): ReturnType<typeof XMLValidator.validate> {
  try {
    return XMLValidator.validate(body, { allowBooleanAttributes: false });
  } catch {
    return fail("syntax", "/", "the XML is not well-formed");
  }
}

// The validator passes some inputs the parser then rejects (a broken <?xml ?> declaration): its throw is
// turned into the same plain reason.
function parseNodes(parser: XMLParser, body: string): RawNode[] {
  try {
    return parser.parse(body) as RawNode[];
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\.$/, "") : "unreadable";
    return fail("syntax", "/", `the XML is not well-formed (${detail})`);
  }
}

function refuseDoctype(text: string, allowExternal: boolean): void {
  const doctypes = text.match(/<!DOCTYPE/gi) ?? [];
  if (doctypes.length === 0) return;
  if (!allowExternal) fail("doctype", "/", "a DOCTYPE is not accepted in this format");
  if (doctypes.length > 1 || /<!ENTITY/i.test(text) || /<!DOCTYPE[^>]*\[/i.test(text)) {
    fail("doctype", "/", "the DOCTYPE declares entities or an internal subset, which are refused (entity expansion attacks)");
  }
}

function elementName(node: RawNode): string | undefined {
  return Object.keys(node).find((k) => k !== ":@" && k !== "#text");
}

function toElement(node: RawNode, scope: Map<string, string>, path: string, depth: number, counter: { count: number }): XmlElement {
  if (depth > MAX_DEPTH) fail("too-deep", path, `the XML nests deeper than ${MAX_DEPTH} levels`);
  if (++counter.count > MAX_ELEMENTS) fail("too-large", path, `the XML has more than ${MAX_ELEMENTS} elements`);
  const qname = elementName(node)!;
  const rawAttrs = (node[":@"] ?? {}) as Record<string, string>;
  const local = new Map(scope);
  // A null-prototype map: an attribute named __proto__ is just an attribute.
  const attrs = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === "xmlns") local.set("", decodeEntities(String(value)));
    else if (key.startsWith("xmlns:")) local.set(key.slice(6), decodeEntities(String(value)));
    else attrs[key] = decodeEntities(String(value));
  }
  const [prefix, name] = qname.includes(":") ? (qname.split(":", 2) as [string, string]) : ["", qname];
  const ns = local.get(prefix);
  if (ns === undefined) fail("syntax", path, `namespace prefix ${JSON.stringify(prefix)} is not declared`);
  const element: XmlElement = { ns, name, attrs, children: [], text: "", path };
  const siblings = new Map<string, number>();
  for (const childNode of (node[qname] ?? []) as RawNode[]) {
    if ("#text" in childNode) { element.text += decodeEntities(String(childNode["#text"])); continue; }
    const childName = elementName(childNode);
    if (!childName) continue;
    const n = (siblings.get(childName) ?? 0) + 1;
    siblings.set(childName, n);
    element.children.push(toElement(childNode, local, `${path}/${childName}[${n}]`, depth + 1, counter));
  }
  return element;
}

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

/** Children named (ns, name). */
export function childrenOf(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.ns === ns && c.name === name) : [];
}

/** The first child along a path of names, all in one namespace per step. */
export function child(element: XmlElement | undefined, ...steps: Array<[string, string]>): XmlElement | undefined {
  let current = element;
  for (const [ns, name] of steps) current = childrenOf(current, ns, name)[0];
  return current;
}

/** An element's text with surrounding whitespace trimmed; undefined when absent or blank. */
export function textOf(element: XmlElement | undefined): string | undefined {
  const text = element?.text.trim();
  return text ? text : undefined;
}
