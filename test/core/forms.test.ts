import { describe, expect, it } from 'vitest';
import { mapSubmission, numberFromForm } from '../../src/core/forms/form-fields.js';
import { RateWindow } from '../../src/core/forms/rate-window.js';
import { spamVerdict } from '../../src/core/forms/spam-checks.js';
import { forgivingLead } from '../../src/core/intake/forgiving-lead.js';

const mapping = { fieldMap: {}, keepUnknown: true, source: 'website', channel: 'form', campaign: null };

describe('a form submission read as a lead', () => {
  it('knows the names sites give fields, in Russian and English, whatever their case and punctuation', () => {
    const { input } = mapSubmission({ 'your-name': 'Анна', Телефон: '8 916 111-22-33', 'E-mail': 'a@b.ru', Компания: 'Ромашка', Сообщение: 'Перезвоните', utm_source: 'vk', formid: 'f1', tranid: '1:2' }, mapping);
    expect(input).toEqual({ name: 'Анна', phone: '8 916 111-22-33', email: 'a@b.ru', companyName: 'Ромашка', comment: 'Перезвоните', utm: { source: 'vk' }, source: 'website', channel: 'form' });
  });

  it('keeps a second field meaning the same under its own name instead of dropping it', () => {
    expect(mapSubmission({ phone: '+79160000001', 'Мобильный': '+79160000002' }, mapping).input).toMatchObject({ phone: '+79160000001', custom: { mobilnyy: '+79160000002' } });
  });

  it("puts the form's own mapping first, keeps unknown fields as custom ones or drops them as told, and reads numbers people type", () => {
    const fields = { 'field-7': '+79160000000', budget: '1 500 000', tariff: 'pro', 'what is this?': 'x' };
    expect(mapSubmission(fields, { ...mapping, fieldMap: { 'field-7': 'phone', tariff: 'custom.plan' } }).input).toMatchObject({ phone: '+79160000000', dealValue: 1500000, custom: { plan: 'pro', 'what_is_this': 'x' } });
    expect(mapSubmission(fields, { ...mapping, keepUnknown: false }).dropped).toEqual(['field-7', 'tariff', 'what is this?']);
    expect(numberFromForm('250 000,50')).toBe(250000.5);
    expect(numberFromForm('1,5')).toBe(1.5);
    expect(numberFromForm('1,5 млн')).toBeNull();
    // A separator before three digits may group thousands: no guess, the field is refused by name.
    expect(numberFromForm('250,000')).toBeNull();
    expect(numberFromForm('1.500')).toBeNull();
  });
});

describe('spam checks', () => {
  const settings = { honeypotField: '_lr_hp', minSeconds: 3 };
  it('catch a filled honeypot and a form sent faster than a person can, and let a person through', () => {
    expect(spamVerdict({ _lr_hp: 'x' }, settings)).toMatchObject({ spam: true, check: 'honeypot' });
    expect(spamVerdict({ _lr_elapsed: '1000' }, settings)).toMatchObject({ spam: true, check: 'too_fast' });
    expect(spamVerdict({ _lr_elapsed: '9000', _lr_hp: '' }, settings)).toEqual({ spam: false });
    // A form that does not say how long it was shown (Tilda's) is not timed.
    expect(spamVerdict({}, settings)).toEqual({ spam: false });
  });

  it('count per key within the minute and start again the next one', () => {
    const window = new RateWindow();
    expect([1, 2, 3].map(() => window.hit('ip', 2, 60_500))).toEqual([true, true, false]);
    expect(window.hit('other', 2, 60_600)).toBe(true);
    expect(window.secondsLeft(60_500)).toBe(60);
    expect(window.hit('ip', 2, 120_000)).toBe(true);
  });
});

describe('a forgiving lead', () => {
  const known = new Set(['name', 'phone', 'companyName', 'dealValue', 'utm', 'custom']);
  it("leaves intake's own names alone and lets them win over an alias sent beside them", () => {
    expect(forgivingLead({ phone: '+1', phone_number: '+2', company_name: 'A', companyName: 'B' }, { known, keepUnknown: false })).toEqual({ phone: '+1', companyName: 'B' });
  });
  it('merges top-level UTM tags into utm and unknown fields into custom, keeping what was sent there', () => {
    expect(forgivingLead({ utm_source: 'a', utm: { medium: 'b' }, x: 1, custom: { y: 2 } }, { known, keepUnknown: true })).toEqual({ utm: { source: 'a', medium: 'b' }, custom: { x: 1, y: 2 } });
  });
});
