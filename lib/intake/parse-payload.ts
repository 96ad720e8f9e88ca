import { parseCsv, type CsvOptions } from "./parse-csv";
import { parseCxml } from "./parse-cxml";
import { parseEdifact } from "./parse-edifact";
import { parseJson } from "./parse-json";
import type { ParseResult } from "./parse-result";
import { parseShopify, type ShopifyOptions } from "./parse-shopify";
import { parseUbl } from "./parse-ubl";
import { parseX12850 } from "./parse-x12-850";

// One entry point by channel format, for the inbox worker that comes next.

export const intakeFormats = ["json", "csv", "x12-850", "cxml", "ubl", "edifact", "shopify"] as const;
export type IntakeFormat = (typeof intakeFormats)[number];

export type ParseOptions = { maxBytes?: number; csv?: Omit<CsvOptions, "maxBytes">; shopify?: Omit<ShopifyOptions, "maxBytes"> };

export function parsePayload(format: IntakeFormat, bytes: Buffer | string, options: ParseOptions = {}): ParseResult {
  const { maxBytes } = options;
  switch (format) {
    case "json": return parseJson(bytes, { maxBytes });
    case "csv":
      if (!options.csv) return { ok: false, error: { code: "missing", location: "channel", message: "channel: a CSV channel needs a column mapping" } };
      return parseCsv(bytes, { ...options.csv, maxBytes });
    case "x12-850": return parseX12850(bytes, { maxBytes });
    case "cxml": return parseCxml(bytes, { maxBytes });
    case "ubl": return parseUbl(bytes, { maxBytes });
    case "edifact": return parseEdifact(bytes, { maxBytes });
    case "shopify": return parseShopify(bytes, { ...options.shopify, maxBytes });
  }
}
