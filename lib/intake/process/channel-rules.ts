// A channel's validation rules, as stored in intake_channels.rules (jsonb), with per-account overrides
// under `accounts[<account id>]`. The defaults are the safe ones: a doubtful order is held for a person,
// never silently accepted; only what cannot be an order at all (an unknown SKU) is rejected by default.

export type ChannelRules = {
  unknownSku: "reject" | "accept";
  onTotalMismatch: "hold" | "accept" | "reject";
  shipToUnknown: "reject" | "hold";
  /** Currencies this channel takes; empty means every currency the account uses. */
  currencies: string[];
  /** How far from today an order date or a requested delivery may be, in days, before the order is held. */
  dateWindowDays: number;
};

export const DEFAULT_RULES: ChannelRules = { unknownSku: "reject", onTotalMismatch: "hold", shipToUnknown: "hold", currencies: [], dateWindowDays: 365 };

const CHOICES = {
  unknownSku: ["reject", "accept"],
  onTotalMismatch: ["hold", "accept", "reject"],
  shipToUnknown: ["reject", "hold"],
} as const;

// Both spellings are read: the CLI writes camelCase, a hand-edited row may say unknown_sku.
const ALIASES: Record<string, keyof ChannelRules> = {
  unknownSku: "unknownSku", unknown_sku: "unknownSku",
  onTotalMismatch: "onTotalMismatch", on_total_mismatch: "onTotalMismatch",
  shipToUnknown: "shipToUnknown", ship_to_unknown: "shipToUnknown",
  currencies: "currencies",
  dateWindowDays: "dateWindowDays", date_window_days: "dateWindowDays",
};

/** The rules for one account: defaults, then the channel's, then the account's override; unknown values ignored. */
export function resolveChannelRules(raw: unknown, accountId: string | null): ChannelRules {
  const rules: ChannelRules = { ...DEFAULT_RULES, currencies: [] };
  const layers = [raw, accountId && isRecord(raw) && isRecord(raw.accounts) ? ownValue(raw.accounts, accountId) : undefined];
  for (const layer of layers) {
    if (!isRecord(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      const field = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
      if (field) applyRule(rules, field, value);
    }
  }
  return rules;
}

function applyRule(rules: ChannelRules, field: keyof ChannelRules, value: unknown): void {
  if (field === "currencies") {
    if (Array.isArray(value)) rules.currencies = value.filter((c): c is string => typeof c === "string" && /^[A-Z]{3}$/.test(c));
    return;
  }
  if (field === "dateWindowDays") {
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 36_500) rules.dateWindowDays = value;
    return;
  }
  const allowed: readonly string[] = CHOICES[field];
  if (typeof value === "string" && allowed.includes(value)) (rules as Record<string, unknown>)[field] = value;
}

function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
