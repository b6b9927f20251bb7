import { describe, expect, it } from 'vitest';
import { checkSplitMethod, planSplit, WeightedTurns, type SplitCompany } from '../../src/core/clients/split-plan.js';

const company = (id: string, name: string, extra: Partial<SplitCompany> = {}): SplitCompany => ({ id, name, region: null, size: null, revenue: null, ownerId: null, ...extra });
const managers = [
  { id: 'anna', weight: 1 },
  { id: 'boris', weight: 1 },
];

describe('splitting a base among managers', () => {
  it('reads names as the routing rules do: legal forms and quotes passed over, Ё as Е; a name in no range is shared in turn', () => {
    const plan = planSplit(
      [company('1', 'ООО "Ёлка"'), company('2', 'АО «Лютик»'), company('3', 'Общество с ограниченной ответственностью «Кедр»'), company('4', 'Acme LLC'), company('5', '123')],
      managers,
      { kind: 'alphabet', ranges: [{ letters: 'А-К', managerId: 'anna' }, { letters: 'Л-Я', managerId: 'boris' }] },
    );
    const by = Object.fromEntries(plan.map((p) => [p.company.name, [p.managerId, p.reason]]));
    expect(by['ООО "Ёлка"']).toEqual(['anna', 'А-К']);
    expect(by['АО «Лютик»']).toEqual(['boris', 'Л-Я']);
    expect(by['Общество с ограниченной ответственностью «Кедр»']).toEqual(['anna', 'А-К']);
    expect(by['Acme LLC']?.[1]).toBe('fallback');
    expect(by['123']?.[1]).toBe('fallback');
  });

  it('shares evenly by weight: each gets its share within one, in name order', () => {
    const companies = Array.from({ length: 100 }, (_, i) => company(String(i), `Компания ${String(i).padStart(3, '0')}`));
    const plan = planSplit(companies, [{ id: 'a', weight: 3 }, { id: 'b', weight: 1 }], { kind: 'even' });
    expect(plan.filter((p) => p.managerId === 'a')).toHaveLength(75);
    const turns = new WeightedTurns([{ id: 'x', weight: 2 }, { id: 'y', weight: 1 }, { id: 'z', weight: 0 }]);
    expect(Array.from({ length: 6 }, () => turns.next())).toEqual(['x', 'y', 'x', 'x', 'y', 'x']);
  });

  it('gives VIP companies (size or revenue at the threshold) to the VIP managers and the rest to the others; regions to their managers', () => {
    const companies = [company('1', 'Большая', { revenue: 5_000_000_000, region: 'Москва' }), company('2', 'Малая', { revenue: 10, region: 'москва ' }), company('3', 'Без выручки', { region: 'Казань' }), company('4', 'Ёж', { region: 'Тверь' })];
    const tier = planSplit(companies, managers, { kind: 'tier', by: 'revenue', threshold: 1_000_000_000, vipManagerIds: ['anna'] });
    expect(Object.fromEntries(tier.map((p) => [p.company.id, p.managerId]))).toEqual({ 1: 'anna', 2: 'boris', 3: 'boris', 4: 'boris' });
    const territory = planSplit(companies, managers, { kind: 'territory', regions: [{ region: 'Москва', managerId: 'anna' }, { region: 'Казань', managerId: 'boris' }] });
    expect(Object.fromEntries(territory.map((p) => [p.company.id, p.reason]))).toEqual({ 1: 'Москва', 2: 'Москва', 3: 'Казань', 4: 'fallback' });
  });

  it('refuses overlapping, mixed-alphabet and reversed ranges, and managers not chosen, naming the field', () => {
    const issues = checkSplitMethod({ kind: 'alphabet', ranges: [{ letters: 'А-К', managerId: 'anna' }, { letters: 'И-Я', managerId: 'boris' }, { letters: 'А-Z', managerId: 'anna' }, { letters: 'Я-А', managerId: 'carl' }] }, managers);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['method.ranges.1.letters', 'overlapping_range'],
      ['method.ranges.2.letters', 'mixed_alphabet_range'],
      ['method.ranges.3.managerId', 'not_chosen'],
      ['method.ranges.3.letters', 'reversed_letter_range'],
    ]);
    expect(checkSplitMethod({ kind: 'tier', by: 'size', threshold: 0, vipManagerIds: [] }, managers).map((i) => i.code)).toEqual(['required', 'not_positive']);
  });
});
