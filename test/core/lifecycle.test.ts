import { describe, expect, it } from 'vitest';
import { isRealContact, stopsFirstContactClock } from '../../src/core/lifecycle/activities.js';
import { nextDealStage, withControlPoints, emptyControlPoints } from '../../src/core/lifecycle/deals.js';
import { DEFAULT_STAGES, pipelineIssues, refuseStatusChange, removedOpenStages, type Stage } from '../../src/core/lifecycle/pipeline.js';
import { awaitsQualification } from '../../src/core/lifecycle/qualification.js';
import { buildTimeline } from '../../src/core/lifecycle/timeline.js';

const INSURER: Stage[] = [
  { key: 'new', label: 'Не проверен', kind: 'open' },
  { key: 'checked', label: 'Проверен', kind: 'open' },
  { key: 'card_ready', label: 'Карта готова', kind: 'open' },
  { key: 'card_received', label: 'Карта получена', kind: 'open' },
  { key: 'converted', label: 'Конвертирован', kind: 'converted' },
  { key: 'junk', label: 'Брак', kind: 'junk' },
];

describe('pipelines', () => {
  it('accept the default and a team pipeline with its own stages and labels', () => {
    expect(pipelineIssues(DEFAULT_STAGES)).toEqual([]);
    expect(pipelineIssues(INSURER)).toEqual([]);
  });

  it('name every problem with the path of the stage to fix', () => {
    const bad: Stage[] = [
      { key: 'checked', label: 'Checked', kind: 'open' },
      { key: 'pool', label: 'Pool', kind: 'open' },
      { key: 'checked', label: 'Again', kind: 'open' },
      { key: 'won', label: 'Won', kind: 'converted' },
    ];
    const codes = pipelineIssues(bad).map((i) => `${i.path}:${i.code}`);
    expect(codes).toEqual(['stages[1].key:reserved_key', 'stages[2].key:duplicate_key', 'stages[3].key:terminal_key', 'stages:junk_stage', 'stages[0]:entry_stage']);
  });

  it('tell which open stages a new list drops', () => {
    expect(removedOpenStages(DEFAULT_STAGES, INSURER)).toEqual(['in_progress', 'qualified', 'proposal']);
    expect(removedOpenStages(INSURER, INSURER)).toEqual([]);
  });

  it('allow moves between open stages in any order and to junk, and refuse the rest with a reason', () => {
    const owned = { status: 'card_ready', hasOwner: true };
    expect(refuseStatusChange(INSURER, owned, 'checked')).toBeNull();
    expect(refuseStatusChange(INSURER, owned, 'junk')).toBeNull();
    expect(refuseStatusChange(INSURER, owned, 'proposal')?.code).toBe('unknown_stage');
    expect(refuseStatusChange(INSURER, owned, 'converted')?.code).toBe('use_convert');
    expect(refuseStatusChange(INSURER, owned, 'card_ready')?.code).toBe('same_stage');
    expect(refuseStatusChange(INSURER, { status: 'junk', hasOwner: true }, 'new')?.code).toBe('closed');
    expect(refuseStatusChange(INSURER, { status: 'pool', hasOwner: false }, 'checked')?.code).toBe('unowned');
    expect(refuseStatusChange(INSURER, { status: 'pool', hasOwner: false }, 'junk')).toBeNull();
    expect(refuseStatusChange(INSURER, { status: 'qualification', hasOwner: false }, 'junk')?.code).toBe('unowned');
    // A lead that came from a team with other stages may move into this pipeline.
    expect(refuseStatusChange(INSURER, { status: 'in_progress', hasOwner: true }, 'checked')).toBeNull();
  });
});

describe('activities', () => {
  it('count only a reached client as a real contact', () => {
    expect(isRealContact('call', 'reached')).toBe(true);
    expect(isRealContact('call', 'callback_requested')).toBe(true);
    expect(isRealContact('call', 'no_answer')).toBe(false);
    expect(isRealContact('email', 'sent')).toBe(false);
    expect(isRealContact('email', 'replied')).toBe(true);
    expect(isRealContact('meeting', 'held')).toBe(true);
    expect(isRealContact('meeting', 'no_show')).toBe(false);
    expect(isRealContact('note', 'none')).toBe(false);
  });

  it('stop the first-contact clock once, and only for an owned lead', () => {
    expect(stopsFirstContactClock('call', 'reached', { hasOwner: true, firstContactAt: null })).toBe(true);
    expect(stopsFirstContactClock('call', 'reached', { hasOwner: true, firstContactAt: '2026-01-01T00:00:00.000Z' })).toBe(false);
    expect(stopsFirstContactClock('call', 'reached', { hasOwner: false, firstContactAt: null })).toBe(false);
  });
});

describe('deals', () => {
  it('close won or lost, and stay closed', () => {
    expect(nextDealStage('open', { stage: 'proposal' })).toEqual({ stage: 'proposal' });
    expect(nextDealStage('contract', { closed: 'won' })).toEqual({ stage: 'won' });
    expect(nextDealStage('won', { stage: 'open' })).toHaveProperty('refused');
    expect(nextDealStage('open', { stage: 'contract', closed: 'lost' })).toHaveProperty('refused');
  });

  it('set and clear control points, keeping the others', () => {
    const set = withControlPoints(emptyControlPoints(), { presentation: '2026-02-01T10:00:00.000Z' });
    expect(withControlPoints(set, { proposal: '2026-02-03T10:00:00.000Z' }).map((p) => p.at)).toEqual(['2026-02-01T10:00:00.000Z', '2026-02-03T10:00:00.000Z', null]);
    expect(withControlPoints(set, { presentation: null })[0]?.at).toBeNull();
  });
});

describe('qualification', () => {
  it('holds leads of the listed sources, or all when none are listed', () => {
    expect(awaitsQualification({ enabled: false }, 'web')).toBe(false);
    expect(awaitsQualification({ enabled: true }, null)).toBe(true);
    expect(awaitsQualification({ enabled: true, sources: ['Purchased_DB'] }, 'purchased_db')).toBe(true);
    expect(awaitsQualification({ enabled: true, sources: ['purchased_db'] }, 'web')).toBe(false);
  });
});

describe('timeline', () => {
  it('merges sources oldest first and tells a hand-over once, by its decision row', () => {
    const at = (m: number): string => new Date(Date.UTC(2026, 0, 1, 9, m)).toISOString();
    const items = buildTimeline({
      events: [
        { id: 'e1', type: 'lead.created', actor: 'api-key:k', payload: { source: 'web' }, createdAt: at(0) },
        { id: 'e2', type: 'lead.assigned', actor: 'api-key:k', payload: { managerId: 'anna' }, createdAt: at(0) },
        { id: 'e3', type: 'activity.logged', actor: 'user:u', payload: {}, createdAt: at(5) },
        { id: 'e4', type: 'lead.status_changed', actor: 'user:u', payload: { from: 'new', to: 'junk', junkReason: 'spam', ownerId: 'anna' }, createdAt: at(9) },
      ],
      assignments: [{ id: 'a1', managerId: 'anna', outcome: 'assigned', via: 'rule', ruleId: 'r', actor: 'api-key:k', createdAt: at(0), summary: 'Round robin' }],
      activities: [{ id: 'c1', kind: 'call', outcome: 'reached', note: 'interested', managerId: 'anna', actor: 'user:u', occurredAt: at(4) }],
      tasks: [{ id: 't1', title: 'Call back', offer: 'Plan B', assigneeId: 'anna', dueAt: at(30), doneAt: at(8), createdBy: 'user:u', createdAt: at(6) }],
      transfers: [],
      deals: [],
      managerNames: new Map([['anna', 'Anna']]),
    });
    expect(items.map((i) => i.type)).toEqual(['lead.created', 'assignment', 'activity.call', 'task.created', 'task.done', 'lead.status_changed']);
    expect(items[1]?.summary).toBe('Assigned to Anna (rule): Round robin');
    expect(items[5]?.summary).toBe('Status new → junk (spam)');
  });
});
