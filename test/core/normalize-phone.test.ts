import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCountryCode, normalizePhone } from '../../src/core/normalize/phone.js';

const ok = (e164: string) => ({ ok: true, e164 });
const notOk = (reason: string) => ({ ok: false, reason });

describe('normalizePhone', () => {
  it('a Russian number written with the trunk prefix 8 becomes +7…', () => {
    expect(normalizePhone('8 (916) 123-45-67', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('89161234567', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('8(916)1234567', 'RU')).toEqual(ok('+79161234567'));
  });

  it('an international Russian number keeps its country code', () => {
    expect(normalizePhone('+7 916 1234567', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('+7 (916) 123-45-67', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('+7-916-123-45-67', 'RU')).toEqual(ok('+79161234567'));
  });

  it('ten national digits without a prefix take the default country', () => {
    expect(normalizePhone('9161234567', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('916 123 45 67', 'RU')).toEqual(ok('+79161234567'));
  });

  it('eleven digits starting with 7 and no plus are read as +7', () => {
    expect(normalizePhone('79161234567', 'RU')).toEqual(ok('+79161234567'));
  });

  it('Moscow, St Petersburg and regional landlines are valid', () => {
    expect(normalizePhone('+7 (495) 123-45-67', 'RU')).toEqual(ok('+74951234567'));
    expect(normalizePhone('8 812 312-34-56', 'RU')).toEqual(ok('+78123123456'));
    expect(normalizePhone('8 (3452) 12-34-56', 'RU')).toEqual(ok('+73452123456'));
    expect(normalizePhone('8 800 555-35-35', 'RU')).toEqual(ok('+78005553535'));
  });

  it('a foreign number in international form ignores the default country', () => {
    expect(normalizePhone('+44 20 7946 0958', 'RU')).toEqual(ok('+442079460958'));
    expect(normalizePhone('+44 (0)20 7946 0958', 'RU')).toEqual(ok('+442079460958'));
    expect(normalizePhone('+7 916 1234567', 'GB')).toEqual(ok('+79161234567'));
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual(ok('+442079460958'));
  });

  it('the Russian international dialling prefix 810 is understood', () => {
    expect(normalizePhone('810 44 20 7946 0958', 'RU')).toEqual(ok('+442079460958'));
  });

  it('an extension is dropped, whatever it is called', () => {
    expect(normalizePhone('+7 916 123-45-67 доб. 123', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('8 800 555 35 35 доб 1', 'RU')).toEqual(ok('+78005553535'));
    expect(normalizePhone('89161234567 ext. 5', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('+7 916 123 45 67 #12', 'RU')).toEqual(ok('+79161234567'));
  });

  it('"+8 916…", a common slip for the trunk prefix, is read as +7 for Russia', () => {
    expect(normalizePhone('+89161234567', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('+8 (916) 123-45-67', 'KZ')).toEqual(ok('+79161234567'));
  });

  it('"+8 …" is left alone where it is a real country code or the default is not +7', () => {
    expect(normalizePhone('+81 3 1234 5678', 'RU')).toEqual(ok('+81312345678'));
    expect(normalizePhone('+89161234567', 'GB')).toEqual(notOk('invalid_country'));
  });

  it('a click-to-call link and a trailing separator are tolerated', () => {
    expect(normalizePhone('tel:+79161234567', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('+7 916 123 45 67; ', 'RU')).toEqual(ok('+79161234567'));
  });

  it('full-width digits from some mobile keyboards are read as digits', () => {
    expect(normalizePhone('８９１６１２３４５６７', 'RU')).toEqual(ok('+79161234567'));
  });

  it('surrounding whitespace, tabs and non-breaking spaces do not matter', () => {
    expect(normalizePhone('\t 8 916 123 45 67 \n', 'RU')).toEqual(ok('+79161234567'));
    expect(normalizePhone('8\u00a0916\u00a0123\u00a045\u00a067', 'RU')).toEqual(ok('+79161234567'));
  });

  it('an empty or blank value is reported as empty', () => {
    expect(normalizePhone('', 'RU')).toEqual(notOk('empty'));
    expect(normalizePhone('   ', 'RU')).toEqual(notOk('empty'));
  });

  it('text that is not a phone number is rejected, even with digits inside', () => {
    expect(normalizePhone('abc', 'RU')).toEqual(notOk('not_a_number'));
    expect(normalizePhone('не звонить', 'RU')).toEqual(notOk('not_a_number'));
    expect(normalizePhone('ИНН 7707083893', 'RU')).toEqual(notOk('not_a_number'));
    expect(normalizePhone('8 916 123 45 67 или 8 903 123 45 67', 'RU')).toEqual(notOk('not_a_number'));
  });

  it('too few or too many digits are reported as such', () => {
    expect(normalizePhone('123', 'RU')).toEqual(notOk('too_short'));
    expect(normalizePhone('+7 916', 'RU')).toEqual(notOk('too_short'));
    expect(normalizePhone('+7 916 123456', 'RU')).toEqual(notOk('too_short'));
    expect(normalizePhone('+7 916 1234567 1234567', 'RU')).toEqual(notOk('too_long'));
  });

  it('a number of the right length in an unassigned Russian range is invalid', () => {
    expect(normalizePhone('+7 123 456-78-90', 'RU')).toEqual(notOk('invalid'));
    expect(normalizePhone('+7 400 123-45-67', 'RU')).toEqual(notOk('invalid'));
  });

  it('an unknown country calling code is reported', () => {
    expect(normalizePhone('+999 1234567', 'RU')).toEqual(notOk('invalid_country'));
  });

  it('very long input is rejected at once without being parsed', () => {
    const started = performance.now();
    expect(normalizePhone(`+7 916 123 45 67 ${' '.repeat(1_000_000)}x`, 'RU')).toEqual(notOk('too_long'));
    expect(normalizePhone('1'.repeat(300), 'RU')).toEqual(notOk('too_long'));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('an E.164 result normalises to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[+8]?[0-9 ()-]{0,20}$/), (raw) => {
        const first = normalizePhone(raw, 'RU');
        if (first.ok) expect(normalizePhone(first.e164, 'US')).toEqual(first);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (raw) => {
        expect(typeof normalizePhone(raw, 'RU').ok).toBe('boolean');
      }),
    );
  });
});

describe('isCountryCode', () => {
  it('accepts upper-case ISO codes that have phone metadata and nothing else', () => {
    expect(isCountryCode('RU')).toBe(true);
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('ru')).toBe(false);
    expect(isCountryCode('XX')).toBe(false);
    expect(isCountryCode('')).toBe(false);
  });
});
