import { describe, expect, it } from 'vitest';
import { leadSearchDigits, leadSearchTerms, leadSearchText, normalizeSearchText } from '../../src/core/normalize/search-text.js';

describe('search text', () => {
  it('folds case in every script, ё to е, compatibility forms and white space', () => {
    expect(normalizeSearchText('  ООО «Ёлка»\tПлюс ')).toBe('ооо «елка» плюс');
    expect(normalizeSearchText('ÉCOLE Straße')).toBe('école straße');
    expect(normalizeSearchText('ｆｕｌｌ　width')).toBe('full width');
  });

  it('keeps name, company and e-mail on lines of their own, so a query cannot span two', () => {
    expect(leadSearchText({ name: 'Анна', companyName: null, email: 'anna@example.com' })).toBe('анна\nanna@example.com');
    expect(leadSearchText({ name: ' ', companyName: null, email: null })).toBeNull();
  });

  it('keeps the digits of a phone as written and as E.164, once each', () => {
    expect(leadSearchDigits({ phone: '+79161234567', phoneRaw: '8 (916) 123-45-67' })).toBe('79161234567 89161234567');
    expect(leadSearchDigits({ phone: '+79161234567', phoneRaw: '+7 916 123 45 67' })).toBe('79161234567');
    expect(leadSearchDigits({ phone: null, phoneRaw: 'no digits' })).toBeNull();
  });

  it('reads a query of phone characters with three digits or more as a phone search', () => {
    expect(leadSearchTerms('916 123-45', 'RU')).toEqual({ text: '916 123-45', phoneDigits: ['91612345'] });
    expect(leadSearchTerms('8 (916) 123-45-67', 'RU').phoneDigits).toEqual(['89161234567', '79161234567']);
    expect(leadSearchTerms('8 916', 'RU').phoneDigits).toEqual(['8916', '7916']);
    expect(leadSearchTerms('8 916', 'DE').phoneDigits).toEqual(['8916']);
    expect(leadSearchTerms('+8 916', 'RU').phoneDigits).toEqual(['8916']);
    expect(leadSearchTerms('12', 'RU').phoneDigits).toEqual([]);
    expect(leadSearchTerms('ООО 123', 'RU')).toEqual({ text: 'ооо 123', phoneDigits: [] });
  });
});
