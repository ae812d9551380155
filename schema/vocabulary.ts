/** The apparatus's vocabulary: the types of variant and the statuses of a decision. */

export const VARIANT_TYPES = [
  "substantive",
  "lexical",
  "omission",
  "addition",
  "transposition",
  "orthographic",
  "punctuation",
] as const;
export type VariantType = (typeof VARIANT_TYPES)[number];

export const VARIANT_TYPE_LABELS: Record<VariantType, string> = {
  substantive: "substantive",
  lexical: "lexical / translation choice",
  omission: "omission",
  addition: "addition",
  transposition: "transposition",
  orthographic: "orthographic",
  punctuation: "punctuation",
};

export const STATUSES = ["proposed", "accepted", "rejected"] as const;
export type Status = (typeof STATUSES)[number];

export function isVariantType(value: unknown): value is VariantType {
  return typeof value === "string" && (VARIANT_TYPES as readonly string[]).includes(value);
}

export function isStatus(value: unknown): value is Status {
  return typeof value === "string" && (STATUSES as readonly string[]).includes(value);
}
