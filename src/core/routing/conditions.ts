import { CUSTOM_FIELD_PREFIX, LEAD_FIELDS, type LeadFacts } from '../lead-facts.js';
import { initialLetterOf, letterTable, NO_INITIAL } from './initial-letter.js';
import type { Condition } from './rule-set.js';

/** A condition turned into a closure once, so routing does no parsing per lead. */
export type CompiledCondition = (lead: LeadFacts) => boolean;

/**
 * A condition compiled against a table of normalised field values (see
 * `createConditionCompiler`): conditions of a whole rule set share one table, filled once
 * per lead, so each comparison is a plain `===` or Set lookup on an already lower-cased string.
 */
export type TableCondition = (values: readonly unknown[]) => boolean;

/** Tests one normalised field value; `undefined` stands for a missing field. */
type ValueTest = (value: unknown) => boolean;

export interface ConditionCompiler {
  compile(condition: Condition): TableCondition;
  /**
   * The value table for a lead, every text trimmed and lower-cased. The same array is
   * refilled on the next call: use it before reading another lead.
   */
  read(lead: LeadFacts): readonly unknown[];
}

const always: TableCondition = () => true;
const never: TableCondition = () => false;

/**
 * Evaluates a condition against a lead. Convenient for one-off checks; a session compiles
 * the conditions of its rule set once instead.
 *
 * @example evaluateCondition({ field: 'region', op: 'eq', value: 'Moscow' }, { region: 'moscow ', custom: {} }) // true
 */
export function evaluateCondition(condition: Condition, lead: LeadFacts): boolean {
  return compileCondition(condition)(lead);
}

/** Compiles one condition into a closure over leads. */
export function compileCondition(condition: Condition): CompiledCondition {
  const compiler = createConditionCompiler();
  const test = compiler.compile(condition);
  return (lead) => test(compiler.read(lead));
}

/** A compiler whose conditions share one value table; fields get a slot as conditions name them. */
export function createConditionCompiler(): ConditionCompiler {
  return new SharedTableCompiler();
}

/**
 * The closures are made by module-level functions, not by methods of a per-session object:
 * V8 keeps type feedback and optimised code per closure-creating site, so closures from one
 * shared site stay fast from the first lead of every new session.
 */
class SharedTableCompiler implements ConditionCompiler {
  private readonly slots = new Map<string, number>();
  private readonly readers: Array<(lead: LeadFacts) => unknown> = [];
  private readonly values: unknown[] = [];

  compile(condition: Condition): TableCondition {
    return compileInto(this, condition);
  }

  slotOf(field: string): number {
    return this.slotFor(field, fieldReader);
  }

  /** A slot holding the initial letter of a text field (a letter key), shared by its initial_in conditions. */
  initialSlotOf(field: string): number {
    return this.slotFor(`${INITIAL_SLOT}${field}`, () => initialReader(fieldReader(field)));
  }

  private slotFor(key: string, makeReader: (field: string) => (lead: LeadFacts) => unknown): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.readers.length;
      this.slots.set(key, slot);
      this.readers.push(makeReader(key));
      this.values.push(undefined);
    }
    return slot;
  }

  read(lead: LeadFacts): readonly unknown[] {
    const { readers, values } = this;
    for (let i = 0; i < readers.length; i++) values[i] = normalizeValue((readers[i] as (lead: LeadFacts) => unknown)(lead));
    return values;
  }
}

function compileInto(compiler: SharedTableCompiler, condition: Condition): TableCondition {
  if ('all' in condition) return compileAll(condition.all.map((part) => compileInto(compiler, part)));
  if ('any' in condition) return compileAny(condition.any.map((part) => compileInto(compiler, part)));
  if ('not' in condition) return negate(compileInto(compiler, condition.not));
  if (condition.op === 'initial_in') return comparison(compiler.initialSlotOf(condition.field), initialTest(condition.value));
  return comparison(compiler.slotOf(condition.field), valueTest(condition));
}

// No field name starts with a NUL, so these slots never meet a field's own.
const INITIAL_SLOT = '\u0000initial:';

/** Reads a field's initial letter key; anything but a text has none. */
function initialReader(read: (lead: LeadFacts) => unknown): (lead: LeadFacts) => number {
  return (lead) => {
    const value = read(lead);
    return typeof value === 'string' ? initialLetterOf(value) : NO_INITIAL;
  };
}

/** A lookup in a table of letter keys: no allocation and no string work per lead. */
function initialTest(ranges: readonly string[]): ValueTest {
  const table = letterTable(ranges);
  return (value) => typeof value === 'number' && table[value] === 1;
}

function negate(inner: TableCondition): TableCondition {
  return (table) => !inner(table);
}

function comparison(slot: number, test: ValueTest): TableCondition {
  return (table) => test(table[slot]);
}

function compileAll(parts: TableCondition[]): TableCondition {
  const [first, second] = parts;
  if (first === undefined) return always;
  if (parts.length === 1) return first;
  if (parts.length === 2 && second !== undefined) return (table) => first(table) && second(table);
  return (table) => {
    for (let i = 0; i < parts.length; i++) if (!(parts[i] as TableCondition)(table)) return false;
    return true;
  };
}

function compileAny(parts: TableCondition[]): TableCondition {
  const [first, second] = parts;
  if (first === undefined) return never;
  if (parts.length === 1) return first;
  if (parts.length === 2 && second !== undefined) return (table) => first(table) || second(table);
  return (table) => {
    for (let i = 0; i < parts.length; i++) if ((parts[i] as TableCondition)(table)) return true;
    return false;
  };
}

/** Reads a LEAD_FIELDS key or `custom.<key>`; anything else reads as missing. */
function fieldReader(field: string): (lead: LeadFacts) => unknown {
  if (field.startsWith(CUSTOM_FIELD_PREFIX)) {
    const key = field.slice(CUSTOM_FIELD_PREFIX.length);
    // A lead built by hand may lack `custom`; routing must not throw on it.
    return (lead) => (lead.custom === undefined || lead.custom === null ? undefined : lead.custom[key]);
  }
  if (!Object.hasOwn(LEAD_FIELDS, field)) return () => undefined;
  const key = field as keyof typeof LEAD_FIELDS;
  return (lead) => lead[key];
}

/** Lower-cased and trimmed: how rule authors expect "Moscow " and "moscow" to compare. */
export function normalizeText(text: string): string {
  return text.trim().toLowerCase();
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return normalizeText(value);
  if (!Array.isArray(value)) return value;
  // Copy a list only when an element changes: normalised intake data then costs nothing.
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item === 'string' && normalizeText(item) !== item) {
      return value.map((element: unknown) => (typeof element === 'string' ? normalizeText(element) : element));
    }
  }
  return value;
}

function valueTest(condition: Extract<Condition, { op: string }>): ValueTest {
  switch (condition.op) {
    case 'eq':
      return equalsTest(condition.value);
    case 'neq': {
      const eq = equalsTest(condition.value);
      return (value) => !eq(value);
    }
    case 'in':
      return memberTest(condition.value);
    case 'not_in': {
      const member = memberTest(condition.value);
      return (value) => !member(value);
    }
    case 'gt': {
      const limit = condition.value;
      return (value) => numberOf(value) > limit;
    }
    case 'gte': {
      const limit = condition.value;
      return (value) => numberOf(value) >= limit;
    }
    case 'lt': {
      const limit = condition.value;
      return (value) => numberOf(value) < limit;
    }
    case 'lte': {
      const limit = condition.value;
      return (value) => numberOf(value) <= limit;
    }
    case 'between': {
      const [min, max] = condition.value;
      return (value) => {
        const n = numberOf(value);
        return n >= min && n <= max;
      };
    }
    case 'contains':
      return containsTest(condition.value);
    case 'starts_with':
      return startsWithTest(condition.value);
    case 'initial_in': {
      // compileInto reads initials into a slot of their own; this serves a text read as it is.
      const table = letterTable(condition.value);
      return (value) => typeof value === 'string' && table[initialLetterOf(value)] === 1;
    }
    case 'exists': {
      const wanted = condition.value ?? true;
      return (value) => isPresent(value) === wanted;
    }
  }
}

/** A number, or NaN (which fails every comparison) for anything that is not one. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim();
    // Number('') is 0; an empty custom value must not pass `lt 10`.
    return text === '' ? Number.NaN : Number(text);
  }
  return Number.NaN;
}

/** Present means set and not blank: an empty string or empty list carries no information. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

// The tests below receive normalised values: texts are already trimmed and lower-cased.

function equalsTest(expected: string | number | boolean): ValueTest {
  let scalar: ValueTest;
  if (typeof expected === 'number') {
    scalar = (value) => numberOf(value) === expected;
  } else if (typeof expected === 'boolean') {
    const asText = String(expected);
    scalar = (value) => (typeof value === 'boolean' ? value === expected : value === asText);
  } else {
    const text = normalizeText(expected);
    const asNumber = numberOf(text);
    scalar = (value) => {
      if (typeof value === 'string') return value === text;
      if (typeof value === 'number') return value === asNumber;
      if (typeof value === 'boolean') return String(value) === text;
      return false;
    };
  }
  // A list field equals a value when one of its elements does.
  return (value) => (Array.isArray(value) ? someElement(value, scalar) : scalar(value));
}

function memberTest(list: ReadonlyArray<string | number>): ValueTest {
  const texts = new Set<string>();
  const numbers = new Set<number>();
  for (const item of list) {
    if (typeof item === 'number') {
      numbers.add(item);
      texts.add(String(item));
    } else {
      const text = normalizeText(item);
      texts.add(text);
      const n = numberOf(text);
      if (!Number.isNaN(n)) numbers.add(n);
    }
  }
  const scalar: ValueTest = (value) => {
    if (typeof value === 'string') return texts.has(value);
    if (typeof value === 'number') return numbers.has(value);
    return false;
  };
  return (value) => (Array.isArray(value) ? someElement(value, scalar) : scalar(value));
}

function containsTest(needle: string): ValueTest {
  const text = normalizeText(needle);
  return (value) => {
    if (typeof value === 'string') return value.includes(text);
    if (Array.isArray(value)) return value.includes(text);
    return false;
  };
}

function startsWithTest(prefix: string): ValueTest {
  const text = normalizeText(prefix);
  const scalar: ValueTest = (value) => typeof value === 'string' && value.startsWith(text);
  return (value) => (Array.isArray(value) ? someElement(value, scalar) : scalar(value));
}

function someElement(values: readonly unknown[], test: ValueTest): boolean {
  for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
  return false;
}
