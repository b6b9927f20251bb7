import { z } from 'zod';
import { LEAD_FIELDS_FROM_FORMS } from '../../core/forms/form-fields.js';

const code = z.string().trim().min(1).max(100);

/** A lead field a form field may fill: a common one, `utm.<part>`, or `custom.<name>`. */
const leadField = z
  .string()
  .trim()
  .refine((f) => LEAD_FIELDS_FROM_FORMS.includes(f) || /^custom\.[A-Za-z0-9_.-]{1,64}$/.test(f), {
    message: `one of ${LEAD_FIELDS_FROM_FORMS.join(', ')}, or custom.<name>`,
  });

const origin = z
  .string()
  .trim()
  .refine((o) => o === '*' || /^https?:\/\/[^/\s?#]+$/i.test(o), { message: 'an origin such as https://example.ru (scheme and host, no path), or *' });

export const formSourceFields = {
  name: z.string().trim().min(1).max(200).describe('What people call the form: «Заявка с лендинга»'),
  source: code.nullable().optional().describe('Stamped on every lead of the form, unless the visit says otherwise (utm_source)'),
  channel: code.nullable().optional(),
  campaign: z.string().trim().max(200).nullable().optional(),
  fieldMap: z.record(z.string().trim().min(1).max(100), leadField).refine((m) => Object.keys(m).length <= 100, 'at most 100 fields').optional().describe("The form's field name → lead field, for names the common ones do not cover (your-phone → phone)"),
  allowedOrigins: z.array(origin).max(50).optional().describe('Sites whose pages may post the form from a browser (CORS); posts without an Origin (Tilda\'s webhook, servers) are always accepted'),
  thankYouUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional().describe('Where a browser that posted the form without a script is sent (303); absent: a built-in thank-you page'),
  honeypotField: z.string().trim().min(1).max(64).nullable().optional().describe('A hidden field that must stay empty (default _lr_hp); null: no honeypot'),
  minSeconds: z.number().int().min(0).max(600).optional().describe('A submission sent sooner after the form was shown (the embed snippet records when) is spam; 0: no check'),
  keepUnknown: z.boolean().optional().describe('Keep fields no mapping knows as custom fields (default true) rather than dropping them'),
  perIpPerMinute: z.number().int().min(1).max(10_000).optional().describe('Submissions one address may make per minute (default 10)'),
  perFormPerMinute: z.number().int().min(1).max(100_000).optional().describe('Submissions the form takes per minute in all (default 300)'),
  captchaSecret: z.string().trim().min(8).max(200).nullable().optional().describe('Yandex SmartCaptcha server key: submissions without a token it accepts are spam'),
  active: z.boolean().optional(),
};

export const formSourceCreateSchema = z.strictObject(formSourceFields);
export const formSourcePatchSchema = z.strictObject(formSourceFields).partial();
export type FormSourceCreate = z.infer<typeof formSourceCreateSchema>;
export type FormSourcePatch = z.infer<typeof formSourcePatchSchema>;
