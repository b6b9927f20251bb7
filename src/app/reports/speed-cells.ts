import { everOwned, lastOwner, ownerAt } from '../../core/reports/lead-history.js';
import type { Cell, TallyKind } from '../../core/reports/report-cells.js';
import { decodeSpeedTally, emptySpeedTally, encodeSpeedTally, mergeSpeedTally, SPEED_WINDOWS, speedTallyIsEmpty, tallySpeedSample, type SpeedTally } from '../../core/reports/speed.js';
import { MINUTE_MS } from '../../core/reports/stats.js';
import { addBusinessMinutes, businessMinutesBetween } from '../../core/sla/business-clock.js';
import type { CohortLead, LeadBundle } from './lead-cohort.js';
import type { ReportEnvironment } from './report-environment.js';

const LONGEST_WINDOW = Math.max(...SPEED_WINDOWS);

export const SPEED_TALLY: TallyKind<SpeedTally> = {
  empty: emptySpeedTally,
  merge: mergeSpeedTally,
  isEmpty: speedTallyIsEmpty,
  encode: encodeSpeedTally,
  decode: decodeSpeedTally,
};

/** Whose speed a lead counts for, or null when it counts for nobody (docs/reports.md, Speed to lead). */
function speedOwner(lead: CohortLead): string | null {
  // Leads nobody ever owned have nobody to be fast; junk closed before any contact needed no call.
  if (!everOwned(lead.changes)) return null;
  if (lead.status === 'junk' && lead.firstContactAt === null) return null;
  return lead.firstContactAt !== null ? ownerAt(lead.changes, Date.parse(lead.firstContactAt)) : (lead.ownerId ?? lastOwner(lead.changes));
}

/**
 * Each lead's speed to lead: arrival to the first real contact on the wall clock and in the
 * owner's business hours, or — still waiting — how long it has waited so far (it counts against
 * "within N minutes" once N minutes have passed).
 */
export function speedCells(bundle: LeadBundle, env: ReportEnvironment): Array<Cell<SpeedTally>> {
  const out: Array<Cell<SpeedTally>> = [];
  for (const lead of bundle.leads) {
    const managerId = speedOwner(lead);
    if (managerId === null) continue;
    const contactMs = lead.firstContactAt === null ? null : Date.parse(lead.firstContactAt);
    const calendar = env.calendarOf(managerId);
    const end = contactMs ?? env.now;
    const wall = (end - lead.createdMs) / MINUTE_MS;
    let business: number;
    if (!calendar) business = wall;
    else if (contactMs !== null) business = businessMinutesBetween(lead.createdMs, end, calendar);
    // A lead still waiting only has to be known to have waited past the longest window.
    else business = addBusinessMinutes(lead.createdMs, LONGEST_WINDOW, calendar) <= end ? LONGEST_WINDOW : businessMinutesBetween(lead.createdMs, end, calendar);
    const tally = emptySpeedTally();
    tallySpeedSample(tally, {
      wallMinutes: contactMs === null ? null : wall,
      businessMinutes: contactMs === null ? null : business,
      waitingWallMinutes: contactMs === null ? Math.min(wall, LONGEST_WINDOW) : 0,
      waitingBusinessMinutes: contactMs === null ? Math.min(business, LONGEST_WINDOW) : 0,
    });
    out.push({ managerId, source: lead.source, campaign: null, ruleId: lead.ruleId, extra: null, at: lead.createdMs, tally });
  }
  return out;
}

/**
 * When a lead's speed figures stop depending on the clock: a lead still waiting counts for more
 * windows as time passes, until it has waited the longest window on both clocks. Null: already so.
 */
export function speedSettlesAt(lead: CohortLead, env: ReportEnvironment): number | null {
  const managerId = speedOwner(lead);
  if (managerId === null || lead.firstContactAt !== null) return null;
  const calendar = env.calendarOf(managerId);
  const wallDone = lead.createdMs + LONGEST_WINDOW * MINUTE_MS;
  const businessDone = calendar ? addBusinessMinutes(lead.createdMs, LONGEST_WINDOW, calendar) : wallDone;
  const at = Math.max(wallDone, businessDone);
  return at > env.now ? at : null;
}
