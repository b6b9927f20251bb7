import type { Kysely } from 'kysely';
import { appendEvents } from '../../store/journal-queries.js';
import type { LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { claimSlaBreach } from '../../store/sla-sweep-queries.js';
import { actorName, SYSTEM } from '../access/principal.js';
import type { AppContext } from '../app-context.js';

/**
 * A first contact logged after its deadline lapsed, before the sweeper got to the lead, is
 * still a breach: counted once (the same claim as the sweeper's, so the two never both count
 * it) and put on the timeline. The lead stays with its owner: the client was reached after all.
 */
export async function countLateFirstContact(ctx: AppContext, trx: Kysely<Database>, lead: LeadRecord, at: Date): Promise<void> {
  const { work } = lead;
  if (work.slaKind !== 'first_contact' || work.slaDueAt === null || Date.parse(work.slaDueAt) > at.getTime()) return;
  const atIso = at.toISOString();
  if (!(await claimSlaBreach(trx, lead.id, work.version, atIso))) return;
  await appendEvents(trx, [
    {
      id: ctx.newId(),
      leadId: lead.id,
      type: 'sla.breached',
      actor: actorName(SYSTEM('sla')),
      payload: { kind: work.slaKind, dueAt: work.slaDueAt, breaches: work.slaBreaches + 1, policyId: work.slaPolicyId, managerId: lead.ownerId, contactedAt: atIso },
      createdAt: atIso,
    },
  ]);
}
