import { IANAZone } from 'luxon';
import { z } from 'zod';
import { MAX_TIER, MIN_TIER, tierOf } from '../../core/routing/priority.js';
import { parseClockTime } from '../../core/routing/working-hours.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (starting with a letter or digit)');
const tag = z.string().trim().min(1).max(100);
const isoDate = z.iso.date();

const interval = z
  .tuple([z.string(), z.string()])
  .refine(([from, to]) => !Number.isNaN(parseClockTime(from)) && !Number.isNaN(parseClockTime(to)), 'times are HH:MM, 00:00 to 24:00')
  .refine(([from, to]) => parseClockTime(from) < parseClockTime(to), 'an interval ends after it starts (split a night shift at midnight)');

export const weeklyHoursSchema = z.partialRecord(z.enum(WEEKDAYS), z.array(interval).max(6));

export const timeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Europe/Moscow');

export const teamInputSchema = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(200),
  timeZone: timeZoneSchema.optional().describe('The team\'s IANA time zone; Europe/Moscow when left out'),
});
export const teamPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    timeZone: timeZoneSchema,
    headUserId: z.string().min(1).max(100).describe('Appoints this person head of the team: role head, this team (signs them out if the role changes)'),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field to change');

const managerFields = {
  teamId: id.nullable().optional(),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320).nullable().optional(),
  role: z.enum(['manager', 'head']).optional(),
  weight: z.number().finite().positive().max(1000).optional().describe('Share in weighted rules; a manager who also runs a branch gets less'),
  priority: z
    .union([z.enum(['high', 'normal', 'low']), z.number().int().min(MIN_TIER).max(MAX_TIER)])
    .transform((p) => tierOf(p))
    .optional()
    .describe('Priority tier in group rules: high, normal (default) or low, or a tier 1–99 (1 is tried first); a rule may override it. Read back as the tier number'),
  maxOpen: z.number().int().min(0).max(100_000).nullable().optional().describe('Most open leads at once; null for no cap'),
  maxPerDay: z.number().int().min(0).max(100_000).nullable().optional().describe("Most new leads per day of the manager's own calendar"),
  skills: z.array(tag).max(100).optional(),
  industries: z.array(tag).max(100).optional(),
  regions: z.array(tag).max(500).optional(),
  languages: z.array(tag).max(50).optional(),
  timeZone: timeZoneSchema.optional(),
  workingHours: weeklyHoursSchema.nullable().optional().describe('null means always on duty'),
  paused: z.boolean().optional(),
};

export const managerInputSchema = z.strictObject({ id: id.optional(), ...managerFields });
export const managerPatchSchema = z.strictObject(managerFields).partial();

export const absencesQuerySchema = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from <= q.to, { message: 'the range ends on or after the day it starts', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, { message: 'at most 400 days at once', path: ['to'] });

export const absenceInputSchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    kind: z.enum(['vacation', 'sick', 'other']).optional().describe("What kind of absence; 'other' when left out"),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((a) => a.from <= a.to, { message: 'an absence ends on or after the day it starts', path: ['to'] });

export type TeamInput = z.infer<typeof teamInputSchema>;
export type TeamPatch = z.infer<typeof teamPatchSchema>;
export type ManagerInput = z.infer<typeof managerInputSchema>;
export type ManagerPatch = z.infer<typeof managerPatchSchema>;
export type AbsenceInput = z.infer<typeof absenceInputSchema>;
