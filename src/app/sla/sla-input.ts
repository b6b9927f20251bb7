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

export const slaPreviewInputSchema = z.strictObject({
  policy: z
    .strictObject({
      id: z.string().trim().min(1).max(100).optional().describe('A saved policy; the other fields, when sent, override it (an unsaved edit)'),
      ...slaPolicyPatchFields(),
    })
    .describe('A saved policy by id, a saved one with unsaved edits, or a draft (then firstContactMinutes is required)'),
  managerId: z.string().trim().min(1).max(100).describe("Whose calendar the clock counts in: the manager's zone, working hours and the company's and team's holidays"),
  at: z.iso.datetime({ offset: true }).optional().describe('When the lead arrives; now when omitted'),
});

function slaPolicyPatchFields() {
  const { position: _position, active: _active, ...rest } = policyFields;
  return {
    name: z.string().trim().max(200).optional().describe('Only shown back; a draft may have none yet'),
    match: rest.match.optional(),
    firstContactMinutes: rest.firstContactMinutes.optional(),
    nextStepMinutes: rest.nextStepMinutes.optional(),
    warnBeforeMinutes: rest.warnBeforeMinutes.optional(),
    maxReassignments: rest.maxReassignments.optional(),
    onExhausted: rest.onExhausted.optional(),
  };
}

export type SlaPreviewInput = z.infer<typeof slaPreviewInputSchema>;
