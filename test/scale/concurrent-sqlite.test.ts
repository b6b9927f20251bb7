import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  acceptedFrom,
  expectScaleInvariants,
  leadFactory,
  newIdempotencyKey,
  setUpScaleRouting,
  type AcceptedLead,
  type IdempotentRound,
} from '../support/scale-scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * One application instance under a burst of concurrent requests (all `inject`ed at once), so
 * the group-commit queue decides many requests per transaction: the same guarantees as the
 * multi-process suite must hold — fairness, caps, one assignment per lead, idempotency.
 */

describe.each(DATABASE_KINDS)('concurrent intake in one process on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpScaleRouting(t.ctx);
  });
  afterEach(async () => {
    await t.close();
  });

  interface Answer {
    status: number;
    body: unknown;
    replayed: boolean;
  }
  const post = async (url: string, payload: object, idempotencyKey?: string): Promise<Answer> => {
    const res = await t.request({ method: 'POST', url, payload, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });
    return { status: res.statusCode, body: res.json(), replayed: res.headers['idempotent-replayed'] === 'true' };
  };
  const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  it('keeps fairness, caps, one assignment per lead and idempotency under a few hundred concurrent requests', async () => {
    const lead = leadFactory();
    const accepted: AcceptedLead[] = [];
    const failures: Answer[] = [];
    const rounds: IdempotentRound[] = [];
    const take = (answer: Answer): string[] => {
      if (answer.status !== 201) {
        failures.push(answer);
        return [];
      }
      const items = acceptedFrom(answer.body);
      accepted.push(...items);
      return items.map((i) => i.leadId);
    };
    const round = (key: string, size: number, answers: Answer[]): IdempotentRound => ({ key, size, answers: answers.map(take), replayed: answers.map((a) => a.replayed) });

    // Two waves, so the second routes from the fairness state and loads the first committed.
    const started = Date.now();
    for (let wave = 0; wave < 2; wave++) {
      const requests: Array<Promise<unknown>> = [];
      for (let i = 0; i < 180; i++) requests.push(post('/api/v1/leads', lead('web', `web w${wave}`)).then(take));
      for (let i = 0; i < 25; i++) requests.push(post('/api/v1/leads', lead('capped', `capped w${wave}`)).then(take));
      for (let i = 0; i < 3; i++) {
        const leads = Array.from({ length: 20 }, (_, j) => lead(j % 4 === 0 ? 'capped' : 'web', `batch w${wave}`));
        requests.push(post('/api/v1/leads/batch', { leads }).then(take));
      }
      // Copies of one request: two at once (likely in one transaction), two a moment later
      // (likely in the next one, finding the first's lead stored).
      for (let i = 0; i < 10; i++) {
        const key = newIdempotencyKey(`single-w${wave}`);
        const body = lead(i % 5 === 0 ? 'capped' : 'web', `idempotent w${wave}`);
        const copy = async (delayMs: number): Promise<Answer> => {
          if (delayMs > 0) await later(delayMs);
          return await post('/api/v1/leads', body, key);
        };
        requests.push(Promise.all([copy(0), copy(0), copy(1 + i), copy(5 + 2 * i)]).then((answers) => rounds.push(round(key, 1, answers))));
      }
      for (let i = 0; i < 2; i++) {
        const key = newIdempotencyKey(`batch-w${wave}`);
        const body = { leads: Array.from({ length: 4 }, () => lead('web', `idempotent batch w${wave}`)) };
        const copy = async (delayMs: number): Promise<Answer> => {
          if (delayMs > 0) await later(delayMs);
          return await post('/api/v1/leads/batch', body, key);
        };
        requests.push(Promise.all([copy(0), copy(0), copy(3 + i)]).then((answers) => rounds.push(round(key, 4, answers))));
      }
      await Promise.all(requests);
    }
    const elapsed = Date.now() - started;

    expect(failures).toEqual([]);
    expect(rounds).toHaveLength(24);
    const totals = await expectScaleInvariants(t.store, accepted, rounds);
    // Per wave: 180 + 3 × 15 + 8 + 2 × 4 web leads; 25 + 3 × 5 + 2 capped.
    expect(totals).toEqual({ web: 2 * (180 + 45 + 8 + 8), capped: 2 * (25 + 15 + 2) });
    console.info(`concurrent ${kind}: ${accepted.length} answers (${totals.web + totals.capped} leads) in ${elapsed} ms`);
  }, 60_000);

  it('stores one lead for many simultaneous copies of one request, and refuses a different body under the same key', async () => {
    const lead = leadFactory();
    const key = newIdempotencyKey('clash');
    const body = lead('web', 'clash');
    const other = lead('web', 'clash other');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post('/api/v1/leads', i % 10 === 9 ? other : body, key)));
    const ok = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    // Whichever body got there first owns the key; every copy of the other is refused.
    const ids = new Set(ok.map((a) => acceptedFrom(a.body)[0]?.leadId));
    expect(ids.size).toBe(1);
    expect(refused.every((a) => a.status === 422 && (a.body as { error: { code: string } }).error.code === 'LR_ERR_IDEMPOTENCY_MISMATCH')).toBe(true);
    expect([ok.length, refused.length].sort((x, y) => x - y)).toEqual([4, 36]);
    const stored = await t.store.db.selectFrom('leads').select(['id', 'idempotency_key']).execute();
    expect(stored).toEqual([{ id: [...ids][0], idempotency_key: key }]);
  });
});
