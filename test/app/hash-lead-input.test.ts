import { describe, expect, it } from 'vitest';
import { leadInputSchema } from '../../src/app/intake/lead-input.js';
import { hashLeadInput } from '../../src/app/intake/prepare-lead.js';

const hash = (body: unknown): string => hashLeadInput(leadInputSchema.parse(body));

describe('the fingerprint of a lead under an Idempotency-Key', () => {
  it('is the same for a retry that lists the same fields in another order, custom fields included', () => {
    expect(hash({ name: 'x', email: 'a@b.ru', custom: { b: 1, a: 2 }, utm: { medium: 'm', source: 's' } })).toBe(
      hash({ utm: { source: 's', medium: 'm' }, custom: { a: 2, b: 1 }, email: 'a@b.ru', name: 'x' }),
    );
  });

  it('differs when any value differs', () => {
    expect(hash({ name: 'x', custom: { a: 1 } })).not.toBe(hash({ name: 'x', custom: { a: 2 } }));
    expect(hash({ name: 'x', dealValue: 1 })).not.toBe(hash({ name: 'x', dealValue: 2 }));
  });
});
