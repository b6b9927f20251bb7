import { describe, expect, it } from 'vitest';
import { matchKeys } from '../../src/core/matching/match-keys.js';

describe('matchKeys', () => {
  it('a full lead yields every key', () => {
    expect(
      matchKeys(
        {
          phones: ['8 (916) 123-45-67'],
          emails: ['Ivan@Romashka.ru'],
          website: 'https://www.romashka.ru/contacts',
          companyName: 'ООО «Ромашка»',
          taxId: '7707083893',
        },
        'RU',
      ),
    ).toEqual({
      phones: ['+79161234567'],
      emails: ['ivan@romashka.ru'],
      domain: 'romashka.ru',
      taxId: '7707083893',
      companyNameKey: 'ромашка',
      problems: [],
    });
  });

  it('an empty lead yields no keys and no problems', () => {
    expect(matchKeys({}, 'RU')).toEqual({
      phones: [],
      emails: [],
      domain: null,
      taxId: null,
      companyNameKey: null,
      problems: [],
    });
  });

  it('the same phone written several ways is one key, in first-seen order', () => {
    const keys = matchKeys({ phones: ['+7 903 000-00-01', '8 (916) 123-45-67', '+79161234567', '9161234567'] }, 'RU');
    expect(keys.phones).toEqual(['+79030000001', '+79161234567']);
  });

  it('the same e-mail in different case is one key', () => {
    expect(matchKeys({ emails: ['Ivan@Mail.ru', 'ivan@mail.ru '] }, 'RU').emails).toEqual(['ivan@mail.ru']);
  });

  it('a bad phone is reported with its position and raw value while the good ones are kept', () => {
    const keys = matchKeys({ phones: ['не звонить', '8 916 123 45 67', '123'] }, 'RU');
    expect(keys.phones).toEqual(['+79161234567']);
    expect(keys.problems).toEqual([
      { field: 'phones', index: 0, raw: 'не звонить', reason: 'not_a_number' },
      { field: 'phones', index: 2, raw: '123', reason: 'too_short' },
    ]);
  });

  it('a bad e-mail is reported with its position and raw value', () => {
    const keys = matchKeys({ emails: ['ivan@', 'ivan@romashka.ru'] }, 'RU');
    expect(keys.emails).toEqual(['ivan@romashka.ru']);
    expect(keys.problems).toEqual([{ field: 'emails', index: 0, raw: 'ivan@', reason: 'not_an_email' }]);
  });

  it('blank values count as not given, not as problems', () => {
    const keys = matchKeys({ phones: ['', '  '], emails: [''], website: ' ', companyName: '', taxId: '  ' }, 'RU');
    expect(keys.problems).toEqual([]);
    expect(keys.phones).toEqual([]);
  });

  it('without a website, the domain comes from a company e-mail', () => {
    expect(matchKeys({ emails: ['ivan@romashka.ru'] }, 'RU').domain).toBe('romashka.ru');
  });

  it('a free-mail address never gives a company domain', () => {
    expect(matchKeys({ emails: ['ivan@gmail.com', 'petr@mail.ru', 'anna@gmx.de'] }, 'RU').domain).toBeNull();
  });

  it('the first company address wins over free-mail ones listed before it', () => {
    expect(matchKeys({ emails: ['ivan@yandex.ru', 'ivan@romashka.ru', 'ivan@lutik.ru'] }, 'RU').domain).toBe('romashka.ru');
  });

  it('the website wins over e-mail domains', () => {
    expect(matchKeys({ emails: ['ivan@romashka-group.ru'], website: 'romashka.ru' }, 'RU').domain).toBe('romashka.ru');
  });

  it('a free-mail or social-network website is reported and the e-mail domain is used instead', () => {
    const freeMail = matchKeys({ website: 'https://mail.ru', emails: ['ivan@romashka.ru'] }, 'RU');
    expect(freeMail.domain).toBe('romashka.ru');
    expect(freeMail.problems).toEqual([{ field: 'website', raw: 'https://mail.ru', reason: 'free_mail_domain' }]);

    const social = matchKeys({ website: 'https://vk.com/romashka' }, 'RU');
    expect(social.domain).toBeNull();
    expect(social.problems).toEqual([{ field: 'website', raw: 'https://vk.com/romashka', reason: 'platform_domain' }]);
  });

  it('a website that is not a domain is reported', () => {
    expect(matchKeys({ website: 'нет сайта' }, 'RU').problems).toEqual([
      { field: 'website', raw: 'нет сайта', reason: 'not_a_domain' },
    ]);
  });

  it('an ИНН with a wrong checksum is reported and not used as a key', () => {
    const keys = matchKeys({ taxId: '7707083894' }, 'RU');
    expect(keys.taxId).toBeNull();
    expect(keys.problems).toEqual([{ field: 'taxId', raw: '7707083894', reason: 'bad_checksum' }]);
  });

  it('a company name that is only a legal form is reported', () => {
    const keys = matchKeys({ companyName: 'ООО' }, 'RU');
    expect(keys.companyNameKey).toBeNull();
    expect(keys.problems).toEqual([{ field: 'companyName', raw: 'ООО', reason: 'no_name' }]);
  });

  it('the default country decides how national numbers are read', () => {
    expect(matchKeys({ phones: ['020 7946 0958'] }, 'GB').phones).toEqual(['+442079460958']);
    expect(matchKeys({ phones: ['020 7946 0958'] }, 'RU').problems).toHaveLength(1);
  });
});
