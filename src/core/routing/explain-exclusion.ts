import type { ExcludedManager, Exclusion } from './trace.js';

/**
 * Why a manager did not get a lead, as a sentence for the head of sales or the manager:
 * `explainExclusion({ kind: 'absent', until: '2026-12-14' }, 'Anna Petrova')` →
 * "Anna Petrova is away until 2026-12-14."
 */
export function explainExclusion(exclusion: Exclusion, name = 'The manager'): string {
  switch (exclusion.kind) {
    case 'paused':
      return `${name} has paused new leads.`;
    case 'absent':
      return `${name} is away until ${exclusion.until}.`;
    case 'off_hours':
      return `${name} is off hours (${exclusion.localTime} in ${exclusion.timeZone}).`;
    case 'open_cap':
      return `${name} already has ${exclusion.open} open leads, the most allowed (${exclusion.max}).`;
    case 'daily_cap':
      return `${name} already got ${exclusion.today} leads today, the most allowed per day (${exclusion.max}).`;
    case 'missing_skill':
      return `${name} lacks the required skill "${exclusion.skill}".`;
    case 'profile_mismatch':
      return `${name} does not cover the lead's ${exclusion.attribute} "${exclusion.value}".`;
    case 'dropped_before':
      return `${name} had this lead before and must not get it again.`;
    case 'unknown_manager':
      return `${name} is no longer a manager.`;
  }
}

/** A short reason that reads after "who is": "away until 2026-12-14". */
export function exclusionPhrase(exclusion: Exclusion): string {
  switch (exclusion.kind) {
    case 'paused':
      return 'paused';
    case 'absent':
      return `away until ${exclusion.until}`;
    case 'off_hours':
      return `off hours (${exclusion.localTime} in ${exclusion.timeZone})`;
    case 'open_cap':
      return `at the open-lead cap (${exclusion.open} of ${exclusion.max})`;
    case 'daily_cap':
      return `at the daily cap (${exclusion.today} of ${exclusion.max})`;
    case 'missing_skill':
      return `missing the skill "${exclusion.skill}"`;
    case 'profile_mismatch':
      return `not covering ${exclusion.attribute} "${exclusion.value}"`;
    case 'dropped_before':
      return 'excluded from this lead';
    case 'unknown_manager':
      return 'no longer a manager';
  }
}

/** In the order candidates are filtered, so summaries list reasons the same way each time. */
const KIND_ORDER: ReadonlyArray<Exclusion['kind']> = [
  'dropped_before',
  'paused',
  'absent',
  'off_hours',
  'open_cap',
  'daily_cap',
  'missing_skill',
  'profile_mismatch',
  'unknown_manager',
];

const COUNTED: Record<Exclusion['kind'], string> = {
  dropped_before: 'had the lead before',
  paused: 'paused',
  absent: 'away',
  off_hours: 'off hours',
  open_cap: 'at their open-lead cap',
  daily_cap: 'at their daily cap',
  missing_skill: 'without a required skill',
  profile_mismatch: "not covering the lead's profile",
  unknown_manager: 'no longer managers',
};


/** Position in KIND_ORDER; a switch, since this runs for every excluded manager of every decision. */
function kindIndex(kind: Exclusion['kind']): number {
  switch (kind) {
    case 'dropped_before':
      return 0;
    case 'paused':
      return 1;
    case 'absent':
      return 2;
    case 'off_hours':
      return 3;
    case 'open_cap':
      return 4;
    case 'daily_cap':
      return 5;
    case 'missing_skill':
      return 6;
    case 'profile_mismatch':
      return 7;
    case 'unknown_manager':
      return 8;
  }
}

/** "2 off hours, 1 paused": how many were left out, by reason. */
export function countExclusions(excluded: readonly ExcludedManager[]): string {
  if (excluded.length === 0) return '';
  const counts = new Array<number>(KIND_ORDER.length).fill(0);
  for (let i = 0; i < excluded.length; i++) {
    const index = kindIndex((excluded[i] as ExcludedManager).reason.kind);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  let text = '';
  for (let i = 0; i < KIND_ORDER.length; i++) {
    const count = counts[i] ?? 0;
    if (count === 0) continue;
    text += `${text === '' ? '' : ', '}${count} ${COUNTED[KIND_ORDER[i] as Exclusion['kind']]}`;
  }
  return text;
}
