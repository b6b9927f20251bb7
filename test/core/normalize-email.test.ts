import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailDomain, normalizeEmail } from '../../src/core/normalize/email.js';

describe('normalizeEmail', () => {
  it('an address is trimmed and lower-cased', () => {
    expect(normalizeEmail('  Ivan.Petrov@Mail.RU ')).toBe('ivan.petrov@mail.ru');
    expect(normalizeEmail('SALES+lead@Romashka.ru')).toBe('sales+lead@romashka.ru');
  });

  it('a mailto: link or angle brackets around the address are removed', () => {
    expect(normalizeEmail('mailto:info@romashka.ru')).toBe('info@romashka.ru');
    expect(normalizeEmail('<info@romashka.ru>')).toBe('info@romashka.ru');
  });

  it('a trailing dot after the domain is dropped', () => {
    expect(normalizeEmail('info@romashka.ru.')).toBe('info@romashka.ru');
  });

  it('Cyrillic addresses and domains are accepted and lower-cased', () => {
    expect(normalizeEmail('Иван@Почта.РФ')).toBe('иван@почта.рф');
  });

  it('full-width characters are folded to their ASCII form', () => {
    expect(normalizeEmail('ｉｎｆｏ＠ｒｏｍａｓｈｋａ．ｒｕ')).toBe('info@romashka.ru');
  });

  it('values without exactly one @ are not addresses', () => {
    expect(normalizeEmail('romashka.ru')).toBeNull();
    expect(normalizeEmail('a@b@romashka.ru')).toBeNull();
    expect(normalizeEmail('@romashka.ru')).toBeNull();
    expect(normalizeEmail('info@')).toBeNull();
  });

  it('a domain without a dot, or with a numeric top level, is not plausible', () => {
    expect(normalizeEmail('info@localhost')).toBeNull();
    expect(normalizeEmail('info@192.168.0.1')).toBeNull();
    expect(normalizeEmail('info@romashka..ru')).toBeNull();
    expect(normalizeEmail('info@-romashka.ru')).toBeNull();
    expect(normalizeEmail('info@romashka.r')).toBeNull();
  });

  it('spaces, lists and display names are not one address', () => {
    expect(normalizeEmail('ivan petrov@mail.ru')).toBeNull();
    expect(normalizeEmail('info@roma shka.ru')).toBeNull();
    expect(normalizeEmail('a@romashka.ru, b@romashka.ru')).toBeNull();
    expect(normalizeEmail('Иван <ivan@romashka.ru>')).toBeNull();
  });

  it('dots at the edges of the local part or doubled are rejected', () => {
    expect(normalizeEmail('.ivan@mail.ru')).toBeNull();
    expect(normalizeEmail('ivan.@mail.ru')).toBeNull();
    expect(normalizeEmail('iv..an@mail.ru')).toBeNull();
  });

  it('empty, blank and oversized values give null', () => {
    expect(normalizeEmail('')).toBeNull();
    expect(normalizeEmail('   ')).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(65)}@mail.ru`)).toBeNull();
    const label = 'b'.repeat(60);
    expect(normalizeEmail(`${'a'.repeat(10)}@${label}.${label}.${label}.${label}.ru`)).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(1_000_000)}@mail.ru`)).toBeNull();
  });

  it('a zero-width space hidden in an address makes it implausible rather than a different address', () => {
    expect(normalizeEmail('iv\u200ban@mail.ru')).toBeNull();
  });

  it('a normalised address normalises to itself', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (raw) => {
        const once = normalizeEmail(raw);
        if (once !== null) expect(normalizeEmail(once)).toBe(once);
      }),
    );
  });
});

describe('emailDomain', () => {
  it('gives the lower-cased domain of an address', () => {
    expect(emailDomain('ivan@Romashka.RU')).toBe('romashka.ru');
  });

  it('gives null for something that is not an address', () => {
    expect(emailDomain('romashka.ru')).toBeNull();
    expect(emailDomain('')).toBeNull();
  });
});
