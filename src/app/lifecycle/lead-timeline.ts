import { buildTimeline, type TimelineItem } from '../../core/lifecycle/timeline.js';
import { listActivities } from '../../store/activity-queries.js';
import { findDealsOfLead } from '../../store/deal-queries.js';
import { listLeadEvents } from '../../store/journal-queries.js';
import { findLead } from '../../store/lead-queries.js';
import { findManagerNames } from '../../store/manager-queries.js';
import { listTasksOfLead } from '../../store/task-queries.js';
import { listLeadAssignments, listLeadTransfers } from '../../store/timeline-queries.js';
import { assertLeadVisible } from '../access/lead-access.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import type { Locale } from '../../core/i18n/locale.js';

/** Everything that happened to a lead, from every table that keeps a part of it, oldest first. */
export async function leadTimeline(ctx: AppContext, principal: Principal, leadId: string, locale: Locale = 'ru'): Promise<TimelineItem[]> {
  const db = ctx.store.db;
  await assertLeadVisible(db, principal, await findLead(db, leadId), leadId);
  const [events, assignments, activities, tasks, transfers, deals] = await Promise.all([
    listLeadEvents(db, leadId),
    listLeadAssignments(db, leadId),
    listActivities(db, leadId),
    listTasksOfLead(db, leadId),
    listLeadTransfers(db, leadId),
    findDealsOfLead(db, leadId),
  ]);
  const managerIds = new Set<string>();
  const note = (id: string | null): void => {
    if (id) managerIds.add(id);
  };
  for (const a of assignments) note(a.managerId);
  for (const t of tasks) note(t.assigneeId);
  for (const t of transfers) {
    note(t.fromManagerId);
    note(t.toManagerId);
  }
  for (const d of deals) note(d.originatorId);
  for (const e of events) {
    const p = e.payload as Record<string, unknown> | null;
    for (const key of ['ownerId', 'managerId', 'fromManagerId', 'originatorId']) if (typeof p?.[key] === 'string') note(p[key]);
  }
  const managerNames = await findManagerNames(db, [...managerIds]);
  return buildTimeline({ events, assignments, activities, tasks, transfers, deals, managerNames, locale });
}
