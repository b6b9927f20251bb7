import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeTaxId } from '../../src/core/normalize/tax-id.js';

describe('normalizeTaxId', () => {
  it('valid 10-digit ИНН of real organisations are accepted as legal entities', () => {
    // Сбербанк, Яндекс, ВТБ, Т-Банк, Альфа-Банк, Ростелеком
    for (const inn of ['7707083893', '7736207543', '7702070139', '7710140679', '7728168971', '7707049388']) {
      expect(normalizeTaxId(inn), inn).toEqual({ ok: true, taxId: inn, kind: 'legal_entity' });
    }
  });

  it('a valid 12-digit ИНН is accepted as an individual', () => {
    expect(normalizeTaxId('500100732259')).toEqual({ ok: true, taxId: '500100732259', kind: 'individual' });
    // Region 01 (Adygea): a leading zero must survive.
    expect(normalizeTaxId('010123456752')).toEqual({ ok: true, taxId: '010123456752', kind: 'individual' });
  });

  it('spaces, dashes and an "ИНН" label around the digits are ignored', () => {
    expect(normalizeTaxId(' 7707 083 893 ')).toMatchObject({ ok: true, taxId: '7707083893' });
    expect(normalizeTaxId('7707-083-893')).toMatchObject({ ok: true, taxId: '7707083893' });
    expect(normalizeTaxId('ИНН: 7707083893')).toMatchObject({ ok: true, taxId: '7707083893' });
    expect(normalizeTaxId('инн 500100732259')).toMatchObject({ ok: true, taxId: '500100732259' });
    expect(normalizeTaxId('INN 7707083893')).toMatchObject({ ok: true, taxId: '7707083893' });
    expect(normalizeTaxId('７７０７０８３８９３')).toMatchObject({ ok: true, taxId: '7707083893' });
  });

  it('a wrong check digit is rejected, and the raw value is kept for the record', () => {
    expect(normalizeTaxId('7707083894')).toEqual({ ok: false, raw: '7707083894', reason: 'bad_checksum' });
    expect(normalizeTaxId('500100732258')).toEqual({ ok: false, raw: '500100732258', reason: 'bad_checksum' });
    expect(normalizeTaxId('500100732249')).toEqual({ ok: false, raw: '500100732249', reason: 'bad_checksum' });
  });

  it('a rejected value carries no taxId to match on', () => {
    const result = normalizeTaxId('1234567890');
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('taxId');
  });

  it('lengths other than 10 and 12 digits are rejected', () => {
    expect(normalizeTaxId('770708389')).toMatchObject({ ok: false, reason: 'wrong_length' });
    expect(normalizeTaxId('77070838930')).toMatchObject({ ok: false, reason: 'wrong_length' });
    expect(normalizeTaxId('1027700132195')).toMatchObject({ ok: false, reason: 'wrong_length' }); // an ОГРН
    expect(normalizeTaxId('1'.repeat(10_000))).toMatchObject({ ok: false, reason: 'wrong_length' });
  });

  it('letters and other symbols make it not a tax id', () => {
    expect(normalizeTaxId('77O7083893')).toMatchObject({ ok: false, reason: 'not_digits' });
    expect(normalizeTaxId('7707083893/770701001')).toMatchObject({ ok: false, reason: 'not_digits' });
    expect(normalizeTaxId('нет')).toMatchObject({ ok: false, reason: 'not_digits' });
  });

  it('all zeros and region 00 are rejected although their checksum adds up', () => {
    expect(normalizeTaxId('0000000000')).toMatchObject({ ok: false, reason: 'bad_region' });
    expect(normalizeTaxId('000000000000')).toMatchObject({ ok: false, reason: 'bad_region' });
  });

  it('empty and blank values are reported as empty', () => {
    expect(normalizeTaxId('')).toEqual({ ok: false, raw: '', reason: 'empty' });
    expect(normalizeTaxId('   ')).toEqual({ ok: false, raw: '   ', reason: 'empty' });
    expect(normalizeTaxId('ИНН')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('exactly one check digit in ten fits a random 10-digit prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{8}$/), (prefix) => {
        const fitting = Array.from({ length: 10 }, (_, d) => normalizeTaxId(`${prefix}${d}`)).filter((r) => r.ok);
        expect(fitting).toHaveLength(1);
      }),
    );
  });

  it('a valid value normalises to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{10}$|^[0-9]{12}$/), (raw) => {
        const once = normalizeTaxId(raw);
        if (once.ok) expect(normalizeTaxId(once.taxId)).toEqual(once);
      }),
    );
  });
});
