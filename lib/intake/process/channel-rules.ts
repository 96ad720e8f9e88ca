// A channel's validation rules, as stored in intake_channels.rules (jsonb), with per-account overrides
// in the account's mapping (intake_channel_mappings.rules). The defaults are the safe ones: a doubtful order is held for a person,
// never silently accepted; only what cannot be an order at all (an unknown SKU) is rejected by default.

export type ChannelRules = {
  unknownSku: "reject" | "accept";
  onTotalMismatch: "hold" | "accept" | "reject";
  /** "accept" (flag only) suits a shop whose customers ship anywhere (Shopify). */
  shipToUnknown: "reject" | "hold" | "accept";
  /** Currencies this channel takes; empty means every currency the account uses. */
  currencies: string[];
  /** How far in the past / future an order date or a requested delivery may be, in days, before the order is held. */
  dateWindowDays: { past: number; future: number };
  /**
   * What a date outside the window leads to. By default it is only flagged: public samples and re-sent
   * old orders carry old dates, and holding every one of them would be a false positive.
   */
  onDateOutsideWindow: "accept" | "hold" | "reject";
};

export const DEFAULT_RULES: ChannelRules = { unknownSku: "reject", onTotalMismatch: "hold", shipToUnknown: "hold", currencies: [], dateWindowDays: { past: 365, future: 365 }, onDateOutsideWindow: "accept" };

const CHOICES = {
  unknownSku: ["reject", "accept"],
  onTotalMismatch: ["hold", "accept", "reject"],
  shipToUnknown: ["reject", "hold", "accept"],
  onDateOutsideWindow: ["accept", "hold", "reject"],
} as const;

// Both spellings are read: the CLI writes camelCase, a hand-edited row may say unknown_sku.
const ALIASES: Record<string, keyof ChannelRules> = {
  unknownSku: "unknownSku", unknown_sku: "unknownSku",
  onTotalMismatch: "onTotalMismatch", on_total_mismatch: "onTotalMismatch",
  shipToUnknown: "shipToUnknown", ship_to_unknown: "shipToUnknown",
  currencies: "currencies",
  dateWindowDays: "dateWindowDays", date_window_days: "dateWindowDays",
  onDateOutsideWindow: "onDateOutsideWindow", on_date_outside_window: "onDateOutsideWindow",
};

/** The rules for one account: defaults, then the channel's, then the account mapping's; unknown values ignored. */
export function resolveChannelRules(...layers: unknown[]): ChannelRules {
  const rules: ChannelRules = { ...DEFAULT_RULES, currencies: [], dateWindowDays: { ...DEFAULT_RULES.dateWindowDays } };
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
    // One number sets both sides; { past, future } sets each.
    if (isDays(value)) rules.dateWindowDays = { past: value, future: value };
    else if (isRecord(value)) {
      if (isDays(value.past)) rules.dateWindowDays.past = value.past;
      if (isDays(value.future)) rules.dateWindowDays.future = value.future;
    }
    return;
  }
  const allowed: readonly string[] = CHOICES[field];
  if (typeof value === "string" && allowed.includes(value)) (rules as Record<string, unknown>)[field] = value;
}

function isDays(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 36_500;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
