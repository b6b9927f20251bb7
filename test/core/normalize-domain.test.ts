import { describe, expect, it } from 'vitest';
import { isFreeMailDomain, isPlatformDomain, normalizeDomain } from '../../src/core/normalize/domain.js';

describe('normalizeDomain', () => {
  it('a URL becomes its host without scheme, www, path or case', () => {
    expect(normalizeDomain('https://WWW.Example.ru/path')).toBe('example.ru');
    expect(normalizeDomain('http://example.ru/?utm_source=ya#top')).toBe('example.ru');
    expect(normalizeDomain('example.ru/contacts')).toBe('example.ru');
    expect(normalizeDomain('//example.ru')).toBe('example.ru');
  });

  it('a port, credentials and a trailing dot are dropped', () => {
    expect(normalizeDomain('https://user:pass@example.ru:8443/x')).toBe('example.ru');
    expect(normalizeDomain('example.ru:8080')).toBe('example.ru');
    expect(normalizeDomain('example.ru.')).toBe('example.ru');
  });

  it('subdomains other than www are kept', () => {
    expect(normalizeDomain('https://shop.example.ru')).toBe('shop.example.ru');
    expect(normalizeDomain('romashka.spb.ru')).toBe('romashka.spb.ru');
  });

  it('Cyrillic domains are kept as they are, without punycode', () => {
    expect(normalizeDomain('https://Ромашка.РФ/')).toBe('ромашка.рф');
  });

  it('surrounding whitespace does not matter', () => {
    expect(normalizeDomain('  example.ru \n')).toBe('example.ru');
  });

  it('values that are not a public domain give null', () => {
    expect(normalizeDomain('')).toBeNull();
    expect(normalizeDomain('   ')).toBeNull();
    expect(normalizeDomain('https://')).toBeNull();
    expect(normalizeDomain('localhost')).toBeNull();
    expect(normalizeDomain('http://192.168.0.1/admin')).toBeNull();
    expect(normalizeDomain('нет сайта')).toBeNull();
    expect(normalizeDomain('example .ru')).toBeNull();
    expect(normalizeDomain('-example.ru')).toBeNull();
  });

  it('very long input gives null quickly', () => {
    expect(normalizeDomain(`https://${'a'.repeat(1_000_000)}.ru`)).toBeNull();
    expect(normalizeDomain(`${'a'.repeat(64)}.ru`)).toBeNull();
  });
});

describe('isFreeMailDomain', () => {
  it('knows the Russian and international mailbox providers', () => {
    for (const d of ['gmail.com', 'mail.ru', 'yandex.ru', 'ya.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru',
      'outlook.com', 'hotmail.com', 'icloud.com', 'yahoo.com', 'proton.me', 'protonmail.com']) {
      expect(isFreeMailDomain(d), d).toBe(true);
    }
  });

  it('counts a provider under any country domain', () => {
    expect(isFreeMailDomain('gmx.de')).toBe(true);
    expect(isFreeMailDomain('gmx.net')).toBe(true);
    expect(isFreeMailDomain('yahoo.co.uk')).toBe(true);
    expect(isFreeMailDomain('hotmail.fr')).toBe(true);
    expect(isFreeMailDomain('yandex.kz')).toBe(true);
  });

  it('counts a subdomain of a provider and ignores case', () => {
    expect(isFreeMailDomain('e.mail.ru')).toBe(true);
    expect(isFreeMailDomain('Gmail.COM')).toBe(true);
  });

  it('does not flag company domains that merely contain a provider name', () => {
    expect(isFreeMailDomain('romashka.ru')).toBe(false);
    expect(isFreeMailDomain('gmailer.com')).toBe(false);
    expect(isFreeMailDomain('mymail.ru')).toBe(false);
    expect(isFreeMailDomain('gmx.romashka.ru')).toBe(false);
    expect(isFreeMailDomain('mail.romashka.ru')).toBe(false);
  });
});

describe('isPlatformDomain', () => {
  it('flags social networks and messengers, where the company is in the path', () => {
    expect(isPlatformDomain('vk.com')).toBe(true);
    expect(isPlatformDomain('m.vk.com')).toBe(true);
    expect(isPlatformDomain('t.me')).toBe(true);
    expect(isPlatformDomain('romashka.ru')).toBe(false);
  });
});
