/** The collator's vocabulary: variants, lacunae, unaligned text, segments, and its options. */

export type VariantKind = "substitution" | "omission" | "addition" | "transposition";
/** The finer class the review step starts from (the apparatus's types). */
export type VariantClass =
  | "substantive"
  | "orthographic"
  | "punctuation"
  | "omission"
  | "addition"
  | "transposition";

export interface Span {
  start: number;
  end: number;
  text: string;
}

/** A transposition's other place: where each text would have the words the other has moved. */
export interface MovedTo {
  /** The base offset at which the witness has the words (where the base would read them, in its order). */
  base: number;
  /** The witness offset at which the base has the words. */
  witness: number;
  /** The words moved from one paragraph of the base to another. */
  acrossParagraphs: boolean;
}

export interface Variant {
  type: VariantKind;
  /** Finer classification: what normalisation hid (orthographic, punctuation) or substantive. */
  class: VariantClass;
  /** For a transposition: the base's words where the base has them. */
  base: Span;
  /** For a transposition: the witness's words (the same words) where the witness has them. */
  witness: Span;
  /** A transposition's other place in each text. */
  moved?: MovedTo;
}

export interface Lacuna {
  /** The stretch of the base text the witness does not cover. */
  base: Span;
  /** Where in the witness text the gap falls. */
  witnessAt: number;
}

/** Witness text that aligns with no stretch of the base (a partial witness's remark, a heading). */
export interface Unaligned {
  witness: Span;
  /** The base offset it falls at (where a person might place it): never made an entry. */
  baseAt: number;
}

export interface Collation {
  variants: Variant[];
  lacunae: Lacuna[];
  /** Partial witnesses only: witness text that aligns with nothing in the base. */
  unaligned: Unaligned[];
  /** Aligned stretches for a side-by-side view: equal text, or a variant's index. */
  segments: Segment[];
}

export type Segment = { kind: "equal"; base: Span; witness: Span } | { kind: "variant"; index: number };

export interface Normalisation {
  case: boolean;
  /** Typographic quotes, apostrophes and dashes to their plain forms. */
  quotes: boolean;
  /** Align words only; punctuation differences become punctuation variants. */
  punctuation: boolean;
  /** Spelling pairs (British/American, -ise/-ize) compared as equal, reported as orthographic. */
  spelling: boolean;
  /** Extra pairs of word forms to treat as equal, e.g. [["labour", "labor"]]. */
  pairs: [string, string][];
}

export interface CollateOptions {
  normalise: Partial<Normalisation>;
  /** The witness covers only parts of the base: long unmatched base stretches are lacunae. */
  partial: boolean;
  /** Words in a row the witness must lack for a lacuna (partial witnesses only). */
  lacunaWords: number;
  /**
   * Near matches: a word replaced by one within this edit distance, as a fraction of the longer word's
   * letters ("agast"/"aghast" is 1/6), is an orthographic variant, not a substantive one. 0 turns it off;
   * so does not normalising spelling.
   */
  nearMatch: number;
}

export const DEFAULT_NORMALISATION: Normalisation = {
  case: true,
  quotes: true,
  punctuation: true,
  spelling: true,
  pairs: [],
};

/** The default near-match threshold: one letter in five. */
export const DEFAULT_NEAR_MATCH = 0.2;
