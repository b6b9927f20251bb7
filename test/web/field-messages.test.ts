import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../../web/src/api/client.js';
import { en, ru } from '../../web/src/i18n/all.js';
import { fieldText } from '../../web/src/ui/field-messages.js';

/** The detail the server sends for the first issue zod finds (src/http/error-reply.ts passes code and message on). */
function zodDetail(schema: z.ZodType, value: unknown): { path: string; code: string; message: string } {
  const issue = (schema.safeParse(value).error?.issues ?? [])[0];
  if (!issue) throw new Error('the value is valid');
  return { path: issue.path.join('.'), code: issue.code, message: issue.message };
}

describe('field errors in the reader’s language', () => {
  let tRu: TFunction;
  let tEn: TFunction;
  beforeAll(async () => {
    const i18n = createInstance();
    await i18n.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng: 'ru', fallbackLng: false, interpolation: { escapeValue: false } });
    tRu = i18n.getFixedT('ru');
    tEn = i18n.getFixedT('en');
  });

  it('words the validator’s codes in Russian, with the limits and Russian plurals', () => {
    const name = z.strictObject({ name: z.string().min(3).max(21) });
    expect(fieldText(tRu, zodDetail(name, { name: 'ab' }), 'x')).toBe('Минимум 3 символа');
    expect(fieldText(tRu, zodDetail(name, { name: 'a'.repeat(30) }), 'x')).toBe('Максимум 21 символ');
    expect(fieldText(tRu, zodDetail(z.string().min(5), 'ab'), 'x')).toBe('Минимум 5 символов');
    expect(fieldText(tRu, zodDetail(z.string().min(1), ''), 'x')).toBe('Минимум 1 символ');
    expect(fieldText(tRu, zodDetail(name, {}), 'x')).toBe('Заполните это поле');
    expect(fieldText(tRu, zodDetail(z.number().int().min(1).max(100), 0), 'x')).toBe('Не меньше 1');
    expect(fieldText(tRu, zodDetail(z.number().max(100), 250), 'x')).toBe('Не больше 100');
    expect(fieldText(tRu, zodDetail(z.number().positive(), 0), 'x')).toBe('Больше 0');
    expect(fieldText(tRu, zodDetail(z.array(z.string()).min(2), []), 'x')).toBe('Выберите хотя бы 2 значения');
    expect(fieldText(tRu, zodDetail(z.number(), 'seven'), 'x')).toBe('Недопустимое значение');
    expect(fieldText(tRu, zodDetail(z.enum(['admin', 'head']), 'boss'), 'x')).toBe('Выберите одно из допустимых значений');
    expect(fieldText(tRu, zodDetail(z.email(), 'anna@'), 'x')).toBe('Неверный адрес эл. почты');
    expect(fieldText(tRu, zodDetail(z.url(), 'example'), 'x')).toBe('Неверный адрес: нужен полный URL');
    expect(fieldText(tRu, zodDetail(z.iso.datetime(), 'tomorrow'), 'x')).toBe('Неверная дата или время');
    expect(fieldText(tRu, zodDetail(z.string().regex(/^[a-z]+$/), 'A1'), 'x')).toBe('Неверный формат');
    expect(fieldText(tRu, { path: 'colour', code: 'unrecognized_keys', message: 'Unrecognized key: "colour"' }, 'x')).toBe('Неизвестное поле');
    expect(fieldText(tEn, zodDetail(name, { name: 'ab' }), 'x')).toBe('At least 3 characters');
    expect(fieldText(tEn, zodDetail(z.string().min(1), ''), 'x')).toBe('At least 1 character');
  });

  it('words the application’s own codes, and keeps the server’s message for a code it does not know', () => {
    expect(fieldText(tRu, { path: 'scopes[0]', code: 'unknown_scope', message: 'no such scope' }, 'x')).toBe('Неизвестное право доступа');
    expect(fieldText(tRu, { path: 'teamId', code: 'not_found', message: 'No team with id t1' }, 'x')).toBe('Не найдено');
    expect(fieldText(tRu, { path: 'role', code: 'last_admin', message: 'the last active admin…' }, 'x')).toBe('Это последний активный администратор: сначала назначьте другого');
    expect(fieldText(tEn, { path: 'headUserId', code: 'admin_not_head', message: '…' }, 'x')).toBe('An admin cannot be appointed head of a team');
    expect(fieldText(tRu, { path: 'timeZone', code: 'custom', message: 'not an IANA time zone' }, 'x')).toBe('not an IANA time zone');
    expect(fieldText(tRu, { path: 'x', code: 'something_new' }, 'The request does not match')).toBe('The request does not match');
  });

  it('finds the detail of a field or of a part of it', () => {
    const error = new ApiError(400, 'LR_ERR_VALIDATION', 'workingHours.mon[0]: bad', [{ path: 'workingHours.mon[0]', code: 'too_small', message: 'Too small: expected array to have >=2 items' }]);
    expect(error.fieldDetail('workingHours')).toMatchObject({ code: 'too_small' });
    expect(error.fieldDetail('name')).toBeUndefined();
    expect(fieldText(tRu, error.fieldDetail('workingHours') ?? {}, error.message)).toBe('Выберите хотя бы 2 значения');
  });
});
