import { describe, expect, it } from 'vitest';
import type { IntakeRequest, IntakeResult } from '../../src/app/intake/intake-leads.js';
import { IntakeQueue } from '../../src/app/intake/intake-queue.js';

const request = (actor: string): IntakeRequest => ({ leads: [], apiKeyId: null, idempotencyKey: null, actor });
const ok: IntakeResult = { ok: true, items: [] };

describe('the group-commit queue', () => {
  it('answers a committed batch only once it is durable, and never runs it again when the sync fails', async () => {
    let runs = 0;
    const queue = new IntakeQueue(
      async (requests) => {
        runs += requests.length;
        return requests.map(() => ok);
      },
      500,
      () => {
        throw new Error('disk gone');
      },
    );
    const answers = await Promise.allSettled([queue.submit(request('a')), queue.submit(request('b'))]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(2);
    await queue.idle();
  });

  it('holds the answers until the sync that covers their commit resolves', async () => {
    let release: () => void = () => {};
    const synced = new Promise<void>((resolve) => (release = resolve));
    const queue = new IntakeQueue(async (requests) => requests.map(() => ok), 500, () => synced);
    let answered = false;
    const answer = queue.submit(request('a')).then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    release();
    await answer;
    expect(answered).toBe(true);
  });
});
