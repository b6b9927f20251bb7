import { z } from 'zod';

const minutes = z.number().int().positive().max(525_600);
const tagList = z.array(z.string().trim().min(1).max(100)).max(100);

export const slaMatchSchema = z
  .strictObject({
    sources: tagList.optional().describe('Lead sources (any case); missing or empty matches every source'),
    priorities: tagList.optional(),
    teamIds: tagList.optional().describe("The owner's team"),
  })
  .describe('Which leads the policy covers; an empty object covers all');

const policyFields = {
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(1_000_000).describe('Lower first: the first active policy that fits a lead applies'),
  match: slaMatchSchema,
  firstContactMinutes: minutes.describe("Business minutes from assignment to the first contact, in the owner's calendar"),
  nextStepMinutes: minutes.nullable().describe('Business minutes from the latest activity to the next one; null: no next-step clock'),
  warnBeforeMinutes: minutes.nullable().describe('Warn the owner this many minutes before the deadline; null: no warning'),
  maxReassignments: z.number().int().min(0).max(20).describe('Breaches that hand the lead to the next manager of the same rule before escalating'),
  onExhausted: z.enum(['head', 'pool']).describe("After the reassignments: to the owner's head of sales, or to the pool"),
  active: z.boolean(),
};

export const slaPolicyInputSchema = z.strictObject({
  ...policyFields,
  position: policyFields.position.optional(),
  match: policyFields.match.optional(),
  nextStepMinutes: policyFields.nextStepMinutes.optional(),
  warnBeforeMinutes: policyFields.warnBeforeMinutes.optional(),
  maxReassignments: policyFields.maxReassignments.optional(),
  onExhausted: policyFields.onExhausted.optional(),
  active: policyFields.active.optional(),
});

export const slaPolicyPatchSchema = z
  .strictObject(policyFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field to change');

export const holidayInputSchema = z.strictObject({
  day: z.iso.date().describe('A local date, YYYY-MM-DD: no working time that day in any time zone'),
  name: z.string().trim().min(1).max(200),
  teamId: z.string().trim().min(1).max(64).nullable().optional().describe('Only this team; missing or null: everyone'),
});

export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;
export type SlaPolicyPatch = z.infer<typeof slaPolicyPatchSchema>;
export type HolidayInput = z.infer<typeof holidayInputSchema>;
