import fc from 'fast-check';
import { domainToASCII, domainToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import { companyDomain, matchKeys } from '../../src/core/matching/match-keys.js';
import { isDisposableDomain, isFreeMailDomain, normalizeDomain, registrableDomain } from '../../src/core/normalize/domain.js';
import { normalizeEmail } from '../../src/core/normalize/email.js';
import { asciiHostname, normalizeHostname } from '../../src/core/normalize/hostname.js';

describe('internationalised domains and e-mails', () => {
  it('Unicode and punycode forms of an e-mail are one key', () => {
    expect(normalizeEmail('ivan@почта.рф')).toBe('ivan@почта.рф');
    expect(normalizeEmail('ivan@xn--80a1acny.xn--p1ai')).toBe('ivan@почта.рф');
    expect(normalizeEmail('Ivan@XN--80A1ACNY.XN--P1AI')).toBe('ivan@почта.рф');
  });

  it('Unicode and punycode forms of a domain are one key', () => {
    expect(normalizeDomain('https://xn--80aa3agjl3d.xn--p1ai/contacts')).toBe('ромашка.рф');
    expect(normalizeHostname('XN--80A1ACNY.XN--P1AI')).toBe('почта.рф');
    expect(asciiHostname('почта.рф')).toBe('xn--80a1acny.xn--p1ai');
  });

  it('invalid punycode is not a domain', () => {
    expect(normalizeHostname('xn--zz.ru')).toBeNull();
  });

  it('property: any valid Cyrillic host, sent in either form, normalises to the same value', () => {
    const label = fc.stringMatching(/^[а-я][а-я0-9]{0,14}$/);
    const zone = fc.constantFrom('рф', 'ru', 'com', 'рус', 'москва');
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), zone, fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/), (labels, top, local) => {
        fc.pre(!local.includes('..'));
        const unicode = [...labels, top].join('.');
        const ascii = domainToASCII(unicode);
        expect(ascii).not.toBe('');
        expect(normalizeHostname(ascii)).toBe(normalizeHostname(unicode));
        expect(normalizeHostname(ascii.toUpperCase())).toBe(normalizeHostname(unicode));
        expect(normalizeEmail(`${local}@${ascii}`)).toBe(normalizeEmail(`${local}@${unicode}`));
        // The form is stable: normalising a normalised value changes nothing.
        const once = normalizeHostname(unicode);
        expect(once === null ? null : normalizeHostname(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('matching links a lead sent with punycode to the same keys as one in Unicode', () => {
    const a = matchKeys({ emails: ['ivan@почта-ромашки.рф'] }, 'RU');
    const b = matchKeys({ emails: [`ivan@${domainToASCII('почта-ромашки.рф')}`] }, 'RU');
    expect(b.emails).toEqual(a.emails);
    expect(b.domain).toBe('почта-ромашки.рф');
    expect(a.domain).toBe('почта-ромашки.рф');
  });
});

describe('registrableDomain (public suffix list)', () => {
  it('a subdomain belongs to the company that registered the domain', () => {
    expect(registrableDomain('shop.romashka.ru')).toBe('romashka.ru');
    expect(registrableDomain('a.b.c.romashka.com')).toBe('romashka.com');
    expect(registrableDomain('shop.ромашка.рф')).toBe('ромашка.рф');
    expect(registrableDomain('shop.xn--80aa3agjl3d.xn--p1ai')).toBe('ромашка.рф');
  });

  it('city and private zones are suffixes: two companies under spb.ru or github.io stay apart', () => {
    expect(registrableDomain('romashka.spb.ru')).toBe('romashka.spb.ru');
    expect(registrableDomain('shop.romashka.spb.ru')).toBe('romashka.spb.ru');
    expect(registrableDomain('romashka.github.io')).toBe('romashka.github.io');
    expect(registrableDomain('romashka.co.uk')).toBe('romashka.co.uk');
  });

  it('a bare public suffix has no registrable domain', () => {
    expect(registrableDomain('spb.ru')).toBeNull();
    expect(registrableDomain('co.uk')).toBeNull();
  });

  it('a lead matches on the registrable domain of its website and of its e-mail', () => {
    expect(matchKeys({ website: 'https://shop.romashka.ru/catalog' }, 'RU').domain).toBe('romashka.ru');
    expect(matchKeys({ emails: ['ivan@msk.romashka.ru'] }, 'RU').domain).toBe('romashka.ru');
  });

  it('property: the registrable domain of any subdomain of X is the registrable domain of X', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    fc.assert(
      fc.property(fc.array(label, { maxLength: 3 }), label, fc.constantFrom('ru', 'com', 'spb.ru', 'co.uk', 'рф'), (subs, name, suffix) => {
        const base = `${name}.${suffix}`;
        expect(registrableDomain([...subs, base].join('.'))).toBe(registrableDomain(base));
      }),
      { numRuns: 300 },
    );
  });
});

describe('free-mail and disposable lists', () => {
  it('keeps the Russian providers and adds the maintained package’s', () => {
    for (const d of ['mail.ru', 'yandex.ru', 'rambler.ru', 'ukr.net', 'gmail.com', 'yahoo.com', 'gmx.net', 'zoho.com']) expect(isFreeMailDomain(d), d).toBe(true);
    // From the package only.
    expect(isFreeMailDomain('hotmail.co.uk')).toBe(true);
    expect(isFreeMailDomain('aol.co.uk')).toBe(true);
  });

  it('flags disposable domains from the package, and their subdomains', () => {
    expect(isDisposableDomain('yopmail.com')).toBe(true);
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('x.mailinator.com')).toBe(true);
    expect(isDisposableDomain('romashka.ru')).toBe(false);
  });

  it('a list entry that is a public suffix does not flag every company under it', () => {
    // mailchecker lists msk.ru (a city zone): romashka.msk.ru is still a company.
    expect(isDisposableDomain('romashka.msk.ru')).toBe(false);
    expect(companyDomain('romashka.msk.ru')).toEqual({ ok: true, domain: 'romashka.msk.ru' });
  });

  it('a disposable or free-mail address gives the lead no company domain', () => {
    expect(matchKeys({ emails: ['a@yopmail.com'] }, 'RU').domain).toBeNull();
    expect(matchKeys({ website: 'yopmail.com' }, 'RU').problems).toEqual([{ field: 'website', raw: 'yopmail.com', reason: 'disposable_domain' }]);
    expect(matchKeys({ emails: ['a@e.mail.ru'] }, 'RU').domain).toBeNull();
    expect(companyDomain('market.yandex.ru').ok).toBe(false);
  });
});

describe('punycode decoding', () => {
  it('property: decoding agrees with node:url for any host the URL parser accepts', () => {
    const label = fc.string({ unit: fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяäöüßçéñ中文日本語abc019-'.split('')), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('рф', 'com', 'de'), (labels, top) => {
        const host = [...labels, top].join('.');
        const ascii = domainToASCII(host);
        fc.pre(ascii !== '');
        expect(normalizeHostname(ascii) ?? 'invalid').toBe(normalizeHostname(host) ?? 'invalid');
        const unicode = normalizeHostname(ascii);
        if (unicode !== null) expect(unicode).toBe(domainToUnicode(ascii));
      }),
      { numRuns: 500 },
    );
  });
});
