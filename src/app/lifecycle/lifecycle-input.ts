import { z } from 'zod';
import { ACTIVITY_OUTCOMES } from '../../core/lifecycle/activities.js';
import { CONTROL_POINTS, DEAL_STAGES } from '../../core/lifecycle/deals.js';
import { STAGE_KEY } from '../../core/lifecycle/pipeline.js';

/** An instant with an offset, kept within the years both databases store. */
const instant = z.iso.datetime({ offset: true }).refine((s) => {
  const year = new Date(s).getUTCFullYear();
  return Number.isNaN(year) || (year >= 1 && year <= 9999);
}, 'a date between the years 0001 and 9999');
const text = (max: number) => z.string().trim().min(1).max(max);
const reasonKey = z.string().trim().min(1).max(50).regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _, starting with a letter');

export const stageSchema = z.strictObject({
  key: z.string().trim().regex(STAGE_KEY, 'lower-case letters, digits and _, starting with a letter (at most 50)'),
  label: text(100),
  kind: z.enum(['open', 'converted', 'junk']),
});
export const pipelineInputSchema = z.strictObject({ name: text(100).optional(), stages: z.array(stageSchema).min(3).max(30) });

export const reasonInputSchema = z.strictObject({
  kind: z.enum(['junk', 'transfer']),
  key: reasonKey,
  label: text(200),
  autoApprove: z.boolean().optional().describe('Transfer reasons only: approve such requests without the head'),
  active: z.boolean().optional(),
});
export const reasonPatchSchema = z.strictObject({ label: text(200).optional(), active: z.boolean().optional(), autoApprove: z.boolean().optional() });

export const statusChangeSchema = z.strictObject({
  status: z.string().trim().min(1).max(50),
  junkReason: z.string().trim().min(1).max(100).optional().describe('Required for junk: the key of an active junk reason'),
  comment: z.string().trim().max(2000).optional(),
});

export const qualificationSettingSchema = z.strictObject({
  enabled: z.boolean(),
  sources: z.array(z.string().trim().min(1).max(100)).max(200).optional().describe('Only leads of these sources wait for qualification; empty or missing: all'),
});

export const qualifyInputSchema = z.strictObject({
  decision: z.enum(['qualified', 'junk']),
  junkReason: z.string().trim().min(1).max(100).optional(),
  comment: z.string().trim().max(2000).optional(),
});

const activityKinds = Object.keys(ACTIVITY_OUTCOMES) as [keyof typeof ACTIVITY_OUTCOMES, ...Array<keyof typeof ACTIVITY_OUTCOMES>];
export const activityInputSchema = z.strictObject({
  kind: z.enum(activityKinds),
  outcome: z.string().trim().min(1).max(50).describe('call: reached, no_answer, busy, wrong_number, callback_requested; email: sent, replied, bounced; meeting: held, cancelled, no_show; note: none'),
  note: z.string().trim().max(4000).optional(),
  occurredAt: instant.optional().describe('When it happened; not in the future; now by default'),
});

export const taskInputSchema = z.strictObject({
  title: text(300),
  dueAt: instant,
  offer: z.string().trim().max(500).optional().describe('What to offer on the call'),
  assigneeId: z.string().trim().min(1).max(100).optional().describe("The lead's owner by default"),
});
export const taskPatchSchema = z.strictObject({
  done: z.boolean().optional(),
  dueAt: instant.optional(),
  title: text(300).optional(),
  offer: z.string().trim().max(500).nullable().optional(),
});
export const callListQuerySchema = z.strictObject({
  assignee: z.string().trim().min(1).max(100).optional().describe('"me" or a manager id; a manager sees their own list by default'),
  due: z.enum(['overdue', 'today', 'all']).default('all').describe("today: due before the end of the assignee's local day, overdue ones included"),
  done: z.enum(['true', 'false', 'all']).default('false'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const currency = z.string().trim().regex(/^[A-Za-z]{3}$/, 'a three-letter currency code such as RUB');
// At most 90 trillion: the bonus split works in kopecks, which must stay exact integers (2^53).
const amount = z.number().finite().min(0).max(9e13);
export const convertInputSchema = z.strictObject({
  deal: z.strictObject({ title: text(300), amount: amount.optional(), currency: currency.optional(), stage: z.enum(DEAL_STAGES).optional() }),
  contact: z.strictObject({ name: text(200).optional() }).optional(),
  company: z.strictObject({ name: text(300).optional() }).optional(),
});

const controlPointPatch = Object.fromEntries(CONTROL_POINTS.map((k) => [k, instant.nullable().optional()])) as Record<(typeof CONTROL_POINTS)[number], z.ZodOptional<z.ZodNullable<typeof instant>>>;
export const dealPatchSchema = z.strictObject({
  title: text(300).optional(),
  stage: z.enum(DEAL_STAGES).optional(),
  amount: amount.nullable().optional(),
  currency: currency.nullable().optional(),
  controlPoints: z.strictObject(controlPointPatch).optional().describe('When each control point was reached (ISO), or null to clear it'),
  closed: z.enum(['won', 'lost']).optional(),
});
export const dealListQuerySchema = z.strictObject({ stage: z.enum(DEAL_STAGES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

export type PipelineInput = z.infer<typeof pipelineInputSchema>;
export type ReasonInput = z.infer<typeof reasonInputSchema>;
export type ReasonPatch = z.infer<typeof reasonPatchSchema>;
export type StatusChange = z.infer<typeof statusChangeSchema>;
export type QualifyInput = z.infer<typeof qualifyInputSchema>;
export type ActivityInput = z.infer<typeof activityInputSchema>;
export type TaskInput = z.infer<typeof taskInputSchema>;
export type TaskPatch = z.infer<typeof taskPatchSchema>;
export type CallListQuery = z.infer<typeof callListQuerySchema>;
export type ConvertInput = z.infer<typeof convertInputSchema>;
export type DealPatch = z.infer<typeof dealPatchSchema>;
