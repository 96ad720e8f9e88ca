/**
 * Intake parse benchmark: each of our parsers (bytes → canonical orders, with every check) beside the
 * raw parse of its peer library on the same public sample (tokens or a tree only, no mapping, no
 * checks). Pure CPU, no database. A script, not a test: prints a markdown table, then one JSON line.
 *
 * Run: npx tsx bench/intake-parse.ts [--quick]
 *   --quick  3 rounds of 250 ms per side (about 15 s); else 5 rounds of 2 s. The last line is one
 *            JSON object either way.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseCsvRaw } from "csv-parse/sync";
import { Reader as EdifactReader } from "edifact";
import { XMLParser } from "fast-xml-parser";
import { parse as parseLossless } from "lossless-json";
import { X12Parser } from "node-x12";
import { parsePayload, type IntakeFormat } from "@/lib/intake/parse-payload";

const quick = process.argv.includes("--quick");
// Each side runs for a fixed time per round rather than a fixed count: the slowest parser stays bounded.
const ROUND_MS = quick ? 250 : 2_000;
const ROUNDS = quick ? 3 : 5;

const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../tests/fixtures/intake/${path}`, import.meta.url)), "utf8");
const csvText = ["PO,SKU,Qty,Price", ...Array.from({ length: 20 }, (_, i) => `${i % 4},SKU-${i},${i + 1},${(i * 1.25).toFixed(2)}`)].join("\n");
const jsonText = JSON.stringify({ documentNumber: "1", kind: "original", lines: Array.from({ length: 6 }, (_, i) => ({ lineNumber: String(i + 1), vendorPartNumber: `S${i}`, quantity: "2", unitPrice: "9.25" })) });

type Case = { format: IntakeFormat; file: string; text: string; peer: string; runPeer: (text: string) => unknown };
const xml = new XMLParser({ ignoreAttributes: false, processEntities: false, parseTagValue: false });
const cases: Case[] = [
  { format: "x12-850", file: "node-x12_850.edi", text: fixture("x12-850/node-x12_850.edi"), peer: "node-x12", runPeer: (t) => new X12Parser(true).parse(t) },
  { format: "edifact", file: "pydifact ORDERS (UNZ added)", text: `${fixture("edifact/pydifact_order_D96A_EAN008_no-UNZ.edi").trimEnd()}\nUNZ+1+807'`, peer: "edifact Reader", runPeer: (t) => new EdifactReader().parse(t) },
  { format: "cxml", file: "cxml-php OrderRequest", text: fixture("cxml/cxml-php_samples_OrderRequest.xml"), peer: "fast-xml-parser", runPeer: (t) => xml.parse(t.replace(/<!DOCTYPE[^>]*>/, "")) },
  { format: "ubl", file: "OASIS UBL Order", text: fixture("ubl/oasis_UBL-Order-2.1-Example.xml"), peer: "fast-xml-parser", runPeer: (t) => xml.parse(t) },
  { format: "shopify", file: "shopify order.json", text: fixture("shopify/shopify_python_api_order.json"), peer: "lossless-json", runPeer: (t) => parseLossless(t) },
  { format: "json", file: "canonical, 6 lines", text: jsonText, peer: "lossless-json", runPeer: (t) => parseLossless(t) },
  { format: "csv", file: "20 rows, 4 POs", text: csvText, peer: "csv-parse", runPeer: (t) => parseCsvRaw(t) },
];

const csvOptions = { mapping: { documentNumber: "PO", vendorPartNumber: "SKU", quantity: "Qty", unitPrice: "Price" } };

function perSecond(run: () => unknown): number {
  const start = process.hrtime.bigint();
  const budget = BigInt(ROUND_MS) * 1_000_000n;
  let count = 0;
  while (process.hrtime.bigint() - start < budget) { run(); count++; }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rows: Array<{ format: string; file: string; peer: string; ours: number; peerRate: number | null; ratio: number | null }> = [];
for (const c of cases) {
  const ours = () => parsePayload(c.format, c.text, { csv: csvOptions });
  const check = ours();
  if (!check.ok || check.documents.some((d) => !d.order)) throw new Error(`${c.format}: the sample does not parse`);
  let peerWorks = true;
  try { c.runPeer(c.text); } catch { peerWorks = false; }
  // Rounds alternate ours and the peer, so drift on a shared machine hits both; the median round counts.
  const oursRates: number[] = [];
  const peerRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(perSecond(ours));
    if (peerWorks) peerRates.push(perSecond(() => c.runPeer(c.text)));
  }
  const oursRate = median(oursRates);
  const peerRate = peerWorks ? median(peerRates) : null;
  rows.push({ format: c.format, file: c.file, peer: c.peer, ours: oursRate, peerRate, ratio: peerRate ? oursRate / peerRate : null });
}

const fmt = (n: number | null) => (n === null ? "fails" : Math.round(n).toLocaleString("en-US"));
console.log(`\nIntake parse, ${ROUNDS} rounds of ${ROUND_MS} ms per side (median round)\n`);
console.log("| format | sample | ours (docs/s, with checks) | peer | peer raw parse/s | ours ÷ peer |");
console.log("| --- | --- | ---: | --- | ---: | ---: |");
for (const r of rows) console.log(`| ${r.format} | ${r.file} | ${fmt(r.ours)} | ${r.peer} | ${fmt(r.peerRate)} | ${r.ratio === null ? "–" : r.ratio.toFixed(2)} |`);
console.log(JSON.stringify({ bench: "intake-parse", quick, roundMs: ROUND_MS, rounds: ROUNDS, results: rows.map((r) => ({ format: r.format, oursPerSecond: Math.round(r.ours), peer: r.peer, peerPerSecond: r.peerRate === null ? null : Math.round(r.peerRate), ratio: r.ratio === null ? null : Number(r.ratio.toFixed(3)) })) }));
