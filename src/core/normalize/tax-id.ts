import type { Brand } from '../ids.js';

/** A Russian ИНН that passed its checksum; only this type may be used as a matching key. */
export type TaxId = Brand<string, 'TaxId'>;

/** 10 digits: an organisation; 12 digits: a person (including an ИП). */
export type TaxIdKind = 'legal_entity' | 'individual';

export type TaxIdProblem = 'empty' | 'not_digits' | 'wrong_length' | 'bad_region' | 'bad_checksum';

/**
 * The failure branch carries the raw value to store and show, and deliberately no `taxId`,
 * so a value that failed the checksum cannot reach matching.
 */
export type TaxIdResult =
  | { ok: true; taxId: TaxId; kind: TaxIdKind }
  | { ok: false; raw: string; reason: TaxIdProblem };

const MAX_INPUT_LENGTH = 64;
const LABEL = /^(?:инн|inn)\s*[:№#]?\s*/iu;
const SEPARATORS = /[\s-]+/gu;
const DIGITS = /^\d+$/;

// Weights of the official algorithm (ФНС): check digit = Σ(weight·digit) mod 11 mod 10.
const WEIGHTS_10 = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const WEIGHTS_12_FIRST = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const WEIGHTS_12_SECOND = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

/**
 * @example normalizeTaxId('ИНН 7707 083 893') // { ok: true, taxId: '7707083893', kind: 'legal_entity' }
 */
export function normalizeTaxId(raw: string): TaxIdResult {
  const fail = (reason: TaxIdProblem): TaxIdResult => ({ ok: false, raw, reason });
  const trimmed = raw.trim();
  if (trimmed === '') return fail('empty');
  if (trimmed.length > MAX_INPUT_LENGTH) return fail('wrong_length');

  // NFKC turns full-width digits into ASCII ones before the digit check.
  const digits = trimmed.normalize('NFKC').replace(LABEL, '').replace(SEPARATORS, '');
  if (!DIGITS.test(digits)) return fail(digits === '' ? 'empty' : 'not_digits');
  if (digits.length !== 10 && digits.length !== 12) return fail('wrong_length');
  // The first two digits are the region code; there is no region 00, and all zeros would
  // otherwise pass the checksum.
  if (digits.startsWith('00')) return fail('bad_region');

  const d = Array.from(digits, Number);
  const valid =
    digits.length === 10
      ? checkDigit(d, WEIGHTS_10) === d[9]
      : checkDigit(d, WEIGHTS_12_FIRST) === d[10] && checkDigit(d, WEIGHTS_12_SECOND) === d[11];
  if (!valid) return fail('bad_checksum');
  return { ok: true, taxId: digits as TaxId, kind: digits.length === 10 ? 'legal_entity' : 'individual' };
}

function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (weights[i] ?? 0) * (digits[i] ?? 0);
  return (sum % 11) % 10;
}
