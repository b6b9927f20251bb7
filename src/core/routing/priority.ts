import type { Priority } from './rule-set.js';

/** The named priorities and the tiers they stand for; a smaller tier is tried first. */
export const PRIORITY_LEVELS = { high: 1, normal: 2, low: 3 } as const;
export type PriorityLevel = keyof typeof PRIORITY_LEVELS;
export const PRIORITY_NAMES = Object.keys(PRIORITY_LEVELS) as PriorityLevel[];

/** A manager's tier when neither the manager nor the rule names one. */
export const DEFAULT_TIER = PRIORITY_LEVELS.normal;
export const MIN_TIER = 1;
export const MAX_TIER = 99;

export function isTierNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_TIER && value <= MAX_TIER;
}

/** The tier a priority stands for; anything unreadable counts as normal (validation refuses it first). */
export function tierOf(priority: Priority | null | undefined): number {
  if (typeof priority === 'number') return isTierNumber(priority) ? priority : DEFAULT_TIER;
  if (typeof priority === 'string' && Object.hasOwn(PRIORITY_LEVELS, priority)) return PRIORITY_LEVELS[priority];
  return DEFAULT_TIER;
}

/** `high`, `normal` or `low` for tiers 1–3, else null (a plain number). */
export function tierName(tier: number): PriorityLevel | null {
  for (const name of PRIORITY_NAMES) if (PRIORITY_LEVELS[name] === tier) return name;
  return null;
}
