import { describe, expect, it } from 'vitest';
import {
  addBreak,
  addBreakToAllDays,
  addInterval,
  changeInterval,
  clearDay,
  copyDay,
  defaultWeek,
  fromApi,
  normalizeTime,
  problemsOf,
  removeInterval,
  setAroundTheClock,
  toApi,
  weeklyMinutes,
  type ApiWeeklyHours,
} from '../../web/src/features/people/working-hours-model.js';

const shapes: Array<[string, ApiWeeklyHours | null]> = [
  ['around the clock (null)', null],
  ['never on duty (no day at all)', {}],
  ['one day, one interval', { wed: [['09:00', '18:00']] }],
  ['Monday to Friday, weekend off', { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] }],
  ['a lunch break splitting each day', { mon: [['09:00', '13:00'], ['14:00', '18:00']], fri: [['10:00', '13:30'], ['14:15', '17:00']] }],
  ['several intervals, a night shift split at midnight', { sat: [['00:00', '02:00'], ['08:00', '12:00'], ['16:00', '20:00'], ['22:00', '24:00']], sun: [['00:00', '24:00']] }],
  ['every day, weekend included', { mon: [['08:00', '20:00']], tue: [['08:00', '20:00']], wed: [['08:00', '20:00']], thu: [['08:00', '20:00']], fri: [['08:00', '20:00']], sat: [['10:00', '16:00']], sun: [['10:00', '16:00']] }],
  ['intervals kept in the order given', { thu: [['15:00', '18:00'], ['09:00', '12:00']] }],
];

describe('the working-hours editor model round-trips the API', () => {
  it.each(shapes)('%s: API → editor → API gives the same JSON', (_name, hours) => {
    const model = fromApi(hours);
    expect(toApi(model)).toStrictEqual(hours);
    // And the editor's model survives a save and a reload.
    if (!model.aroundTheClock) expect(fromApi(toApi(model))).toStrictEqual(model);
  });

  it('reads null as around the clock and offers Monday–Friday 09:00–18:00 when it is switched off', () => {
    const model = fromApi(null);
    expect(model.aroundTheClock).toBe(true);
    expect(toApi(setAroundTheClock(model, false))).toStrictEqual(toApi(defaultWeek()));
  });

  it('keeps the week while around the clock is on, and brings it back when it is switched off', () => {
    const week = fromApi({ tue: [['11:00', '19:00']] });
    const on = setAroundTheClock(week, true);
    expect(toApi(on)).toBeNull();
    expect(toApi(setAroundTheClock(on, false))).toStrictEqual({ tue: [['11:00', '19:00']] });
  });

  it('an empty day is a day off: left out of the API hours, and a day listed empty reads as the same day off', () => {
    const model = clearDay(fromApi({ mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] }), 'tue');
    expect(toApi(model)).toStrictEqual({ mon: [['09:00', '18:00']] });
    expect(fromApi({ mon: [['09:00', '18:00']], tue: [] })).toStrictEqual(model);
  });
});

describe('editing a week', () => {
  it('adds intervals after the last one and removes any of them', () => {
    let model = fromApi({});
    model = addInterval(model, 'mon');
    expect(toApi(model)).toStrictEqual({ mon: [['09:00', '18:00']] });
    model = addInterval(model, 'mon');
    expect(toApi(model)).toStrictEqual({ mon: [['09:00', '18:00'], ['19:00', '20:00']] });
    model = changeInterval(model, 'mon', 1, { to: '21:30' });
    expect(toApi(removeInterval(model, 'mon', 0))).toStrictEqual({ mon: [['19:00', '21:30']] });
    // A day ending at midnight has no room for another interval.
    const full = fromApi({ fri: [['09:00', '24:00']] });
    expect(addInterval(full, 'fri')).toStrictEqual(full);
  });

  it('copies Monday to all weekdays, leaving the weekend alone', () => {
    const model = copyDay(fromApi({ mon: [['09:00', '13:00'], ['14:00', '18:00']], tue: [['12:00', '20:00']], sat: [['10:00', '14:00']] }), 'mon');
    const day: Array<[string, string]> = [['09:00', '13:00'], ['14:00', '18:00']];
    expect(toApi(model)).toStrictEqual({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: [['10:00', '14:00']] });
    // The copies are not shared: changing Tuesday leaves Monday.
    expect(toApi(changeInterval(model, 'tue', 0, { from: '10:00' }))?.mon).toStrictEqual(day);
  });

  it('a lunch break splits the interval that holds it, on every day that has one', () => {
    const single = addBreak(fromApi({ mon: [['09:00', '18:00']] }), 'mon', '13:00', '14:00');
    expect(single.changed).toBe(true);
    expect(toApi(single.model)).toStrictEqual({ mon: [['09:00', '13:00'], ['14:00', '18:00']] });
    // Not held by an interval (the day starts at 13:30, or it is a day off): nothing changes.
    expect(addBreak(fromApi({ mon: [['13:30', '18:00']] }), 'mon', '13:00', '14:00').changed).toBe(false);
    const week = addBreakToAllDays(fromApi({ mon: [['09:00', '18:00']], tue: [['09:00', '12:00'], ['12:30', '18:00']], sat: [['14:00', '16:00']] }), '13:00', '14:00');
    expect(week.changedDays).toEqual(['mon', 'tue']);
    expect(toApi(week.model)).toStrictEqual({
      mon: [['09:00', '13:00'], ['14:00', '18:00']],
      tue: [['09:00', '12:00'], ['12:30', '13:00'], ['14:00', '18:00']],
      sat: [['14:00', '16:00']],
    });
    expect(weeklyMinutes(week.model)).toBe(8 * 60 + 7.5 * 60 + 2 * 60);
  });

  it('finds what the server would refuse before saving: bad times, an end before the start, overlaps', () => {
    const model = fromApi({ mon: [['09:00', '13:00'], ['12:00', '18:00']], tue: [['18:00', '09:00']], wed: [['9:00', '18:00']], thu: [['09:00', '24:00']] });
    expect(problemsOf(model)).toStrictEqual({
      mon: [{ index: 1, problem: 'overlaps' }],
      tue: [{ index: 0, problem: 'ends_before_start' }],
      wed: [{ index: 0, problem: 'malformed' }],
    });
    expect(problemsOf(setAroundTheClock(model, true))).toStrictEqual({});
  });
});

describe('a time typed by hand', () => {
  it.each([
    ['9', '09:00'],
    ['930', '09:30'],
    ['9:30', '09:30'],
    ['9.30', '09:30'],
    ['18', '18:00'],
    ['24', '24:00'],
    ['09:00', '09:00'],
    [' 13:15 ', '13:15'],
  ])('reads %j as %s', (typed, time) => expect(normalizeTime(typed)).toBe(time));

  it.each(['25', '9:75', 'noon', '', '24:30'])('leaves %j as typed, for the editor to point at', (typed) => {
    expect(normalizeTime(typed)).toBe(typed.trim());
    expect(problemsOf(fromApi({ mon: [[normalizeTime(typed), '18:00']] })).mon?.[0]?.problem).toBe('malformed');
  });
});
