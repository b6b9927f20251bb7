import { z } from 'zod';
import { ROLES } from '../access/roles.js';

/** The languages of the interface; a person who chose none sees Russian. */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const locale = z.enum(LOCALES);

const email = z.string().trim().toLowerCase().max(254).email('must be an e-mail address');
// Long passphrases are welcome; the cap only keeps scrypt's input bounded.
const password = z.string().min(10, 'must be at least 10 characters').max(200);

export const userInputSchema = z.strictObject({
  email,
  name: z.string().trim().min(1).max(200),
  password,
  role: z.enum(ROLES),
  teamId: z.string().min(1).max(100).nullable().optional(),
  managerId: z.string().min(1).max(100).nullable().optional(),
  locale: locale.nullable().optional().describe('null or left out: not chosen (the web app shows Russian)'),
});
export type UserInput = z.infer<typeof userInputSchema>;

export const userPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    password,
    role: z.enum(ROLES),
    teamId: z.string().min(1).max(100).nullable(),
    managerId: z.string().min(1).max(100).nullable(),
    active: z.boolean(),
    locale: locale.nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field to change');
export type UserPatch = z.infer<typeof userPatchSchema>;

export const localeInputSchema = z.strictObject({ locale });
export type LocaleInput = z.infer<typeof localeInputSchema>;

export const loginInputSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof loginInputSchema>;
