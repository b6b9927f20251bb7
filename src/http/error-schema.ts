import { z } from 'zod';

/** The one error shape of the API; codes are listed in docs/errors.md. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('LR_ERR_* code, stable for machines'),
    message: z.string().describe('What went wrong, for people'),
    details: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
});
