import { z } from 'zod';

const text = (max: number) => z.string().trim().max(max);
const code = z.string().trim().min(1).max(100);

const customValue = z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()]);

const leadFields = z.strictObject({
    name: text(200).optional(),
    phone: text(64).optional(),
    phones: z.array(text(64)).max(10).optional(),
    email: text(320).optional(),
    emails: z.array(text(320)).max(10).optional(),
    companyName: text(300).optional(),
    taxId: text(32).optional(),
    website: text(300).optional(),
    source: code.optional(),
    channel: code.optional(),
    campaign: text(200).optional(),
    utm: z
      .strictObject({
        source: text(200).optional(),
        medium: text(200).optional(),
        campaign: text(200).optional(),
        term: text(200).optional(),
        content: text(200).optional(),
      })
      .optional(),
    region: text(100).optional(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as RU')
      .optional(),
    industry: text(100).optional(),
    companySize: z.number().int().min(0).max(10_000_000).optional(),
    productInterest: z.union([code, z.array(code).max(20)]).optional(),
    dealValue: z.number().finite().min(0).max(1e13).optional(),
    language: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language tag such as ru or en-GB')
      .optional(),
    score: z.number().finite().min(0).max(100).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    comment: text(5000).optional(),
    originatorId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .describe(
        'The manager who registered the lead (a client they found). Sent by a signed-in manager it is filled in with them; a head may name a manager of the team, an admin or an API key any active manager; null: nobody registered it',
      ),
    custom: z
      .record(z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -'), customValue)
      .refine((r) => Object.keys(r).length <= 50, 'at most 50 custom fields')
      .optional(),
  });

/** Field names a lead may carry; a CSV header is read against them (the originator is named by people, not files). */
export const LEAD_INPUT_FIELDS: ReadonlySet<string> = new Set(Object.keys(leadFields.shape).filter((field) => field !== 'originatorId'));

/** One incoming lead, as channels send it. Unknown fields are refused so typos are seen, not lost. */
export const leadInputSchema = leadFields
  .refine((l) => Boolean(l.name || l.phone || l.phones?.length || l.email || l.emails?.length || l.companyName), {
    message: 'a lead needs at least one of name, phone, email or companyName',
  });

export type LeadInput = z.infer<typeof leadInputSchema>;

export const MAX_BATCH_LEADS = 1000;

export const leadBatchInputSchema = z.strictObject({
  leads: z.array(leadInputSchema).min(1).max(MAX_BATCH_LEADS),
});
