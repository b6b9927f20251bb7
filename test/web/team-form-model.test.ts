import { describe, expect, it } from 'vitest';
import { saveTeamForm, type EditedTeam, type TeamSaver } from '@/features/people/team-form-model';

/** A saver that records calls; the first appointment fails as the server would refuse it. */
function recordingSaver(failAppointments: number): TeamSaver & { calls: string[] } {
  let failures = failAppointments;
  let teams = 0;
  const calls: string[] = [];
  return {
    calls,
    create: async (body) => {
      teams += 1;
      calls.push(`create ${body.name}`);
      return { id: `team-${teams}`, ...body };
    },
    update: async (body) => {
      calls.push(`update ${body.id}${body.headUserId ? ` head=${body.headUserId}` : ''}`);
      if (body.headUserId && failures-- > 0) throw new Error('appointment refused');
      return {};
    },
  };
}

describe('the team form', () => {
  it('edits the created team after a failed appointment, so submitting again appoints instead of creating a second team', async () => {
    const saver = recordingSaver(1);
    let editing: EditedTeam | null = null;
    const values = { name: ' Продажи ', timeZone: 'Europe/Moscow', head: 'olga' };
    await expect(saveTeamForm(editing, values, saver, (team) => (editing = team))).rejects.toThrow('appointment refused');
    expect(editing).toEqual({ id: 'team-1', name: 'Продажи', timeZone: 'Europe/Moscow', heads: [] });
    await saveTeamForm(editing, values, saver, (team) => (editing = team));
    expect(saver.calls).toEqual(['create Продажи', 'update team-1 head=olga', 'update team-1 head=olga']);
  });

  it('creates a team without a head in one request, and does not appoint the head a team already has', async () => {
    const saver = recordingSaver(0);
    const created: EditedTeam[] = [];
    await saveTeamForm(null, { name: 'Восток', timeZone: 'Asia/Vladivostok', head: null }, saver, (team) => created.push(team));
    await saveTeamForm({ id: 'sales', name: 'Sales', timeZone: 'Europe/Moscow', heads: [{ id: 'olga', name: 'Ольга' }] }, { name: 'Sales 2', timeZone: 'Europe/Moscow', head: 'olga' }, saver, (team) => created.push(team));
    expect(saver.calls).toEqual(['create Восток', 'update sales']);
    expect(created.map((team) => team.id)).toEqual(['team-1']);
  });
});
