import { DateTime } from 'luxon';
import { addBusinessMinutes } from '../../core/sla/business-clock.js';
import type { UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { closeBonusPeriod } from '../bonus/bonus-report.js';
import { putBonusSettings } from '../bonus/bonus-settings.js';
import { intakeLeads } from '../intake/intake-leads.js';
import { prepareLead } from '../intake/prepare-lead.js';
import { handOverDeal } from '../leads/originator.js';
import { convertLead } from '../lifecycle/convert-lead.js';
import { changeDeal } from '../lifecycle/deals.js';
import { LeadRouterError } from '../errors.js';
import type { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import type { DemoPerson } from './demo-history.js';

/**
 * The demo's bonus month (docs/motivation.md, "Bonus"): the teams' bonus settings from the
 * start, and over the last two months a few deals a manager brought in, presented and handed to
 * a colleague who signed the contract and won them; last month is closed (Moscow by its head, the
 * others by the admin), and one of its deals got a discount afterwards, so this month shows an
 * adjustment. Everything goes through the use cases at its own time, like the rest of the history.
 */
export const DEMO_BONUS_SETTINGS = {
  'team-moscow': { originatorSharePercent: 20, controlPointWeights: { presentation: 5, proposal: 5, contract: 10 }, bonusRatePercent: 10 },
  'team-spb': { originatorSharePercent: 25, controlPointWeights: { presentation: 5, proposal: 0, contract: 10 }, bonusRatePercent: 8 },
  'team-enterprise': { originatorSharePercent: 15, controlPointWeights: { presentation: 5, proposal: 5, contract: 5 }, bonusRatePercent: 5 },
} as const;

export async function seedBonusSettings(ctx: AppContext, admin: UserPrincipal): Promise<void> {
  for (const [team, settings] of Object.entries(DEMO_BONUS_SETTINGS)) {
    await putBonusSettings(ctx, admin, team, { ...settings, controlPointWeights: { ...settings.controlPointWeights } });
  }
}

interface Story {
  /** Who brings the client in, who closes. */
  originator: string;
  closer: string;
  company: string;
  title: string;
  amount: number;
  /** Where in its month the deal is won (0..1 of the month's part available). */
  at: number;
  month: 'previous' | 'current';
  /** Who records the proposal: the originator before the handover, or the closer after it. */
  proposalBy?: 'originator' | 'closer';
}

const STORIES: Story[] = [
  { originator: 'mgr-anna', closer: 'mgr-ivan', company: 'ООО «Северный ветер»', title: 'внедрение CRM на 40 мест', amount: 1_280_000, at: 0.2, month: 'previous', proposalBy: 'originator' },
  { originator: 'mgr-maria', closer: 'mgr-anna', company: 'АО «Горизонт»', title: 'телефония и CRM', amount: 640_000, at: 0.45, month: 'previous', proposalBy: 'closer' },
  { originator: 'mgr-dmitry', closer: 'mgr-ivan', company: 'ООО «Тверьлес»', title: 'консалтинг по продажам', amount: 315_500, at: 0.7, month: 'previous' },
  { originator: 'mgr-sergey', closer: 'mgr-tatiana', company: 'ООО «Балтика Логистик»', title: 'аналитика продаж', amount: 480_000, at: 0.55, month: 'previous', proposalBy: 'closer' },
  { originator: 'mgr-ivan', closer: 'mgr-maria', company: 'ООО «Вектор»', title: 'телефония на 25 линий', amount: 210_000, at: 0.3, month: 'current', proposalBy: 'originator' },
  { originator: 'mgr-elena', closer: 'mgr-anna', company: 'ООО «Аналитика Плюс»', title: 'аналитика продаж', amount: 395_000, at: 0.6, month: 'current', proposalBy: 'closer' },
  { originator: 'mgr-anna', closer: 'mgr-dmitry', company: 'ЗАО «Меридиан»', title: 'внедрение CRM', amount: 870_000, at: 0.85, month: 'current' },
  { originator: 'mgr-tatiana', closer: 'mgr-sergey', company: 'ООО «Нева Трейд»', title: 'CRM и телефония', amount: 555_000, at: 0.75, month: 'current', proposalBy: 'originator' },
];

const DAY = 86_400_000;

interface Setup {
  people: Map<string, DemoPerson>;
  head: UserPrincipal;
  admin: UserPrincipal;
  now: number;
  zone: string;
}

interface Planned {
  story: Story;
  index: number;
  leadId: string;
  registered: number;
  wonAt: number;
}

function monthsOf(setup: Setup) {
  const monthStart = DateTime.fromMillis(setup.now, { zone: setup.zone }).startOf('month');
  return {
    monthStart,
    previous: { from: monthStart.minus({ months: 1 }).toMillis(), to: monthStart.toMillis() },
    // This month's deals are won before today: the days already gone (at least a few hours of them).
    current: { from: monthStart.toMillis(), to: Math.max(monthStart.toMillis() + 6 * 3_600_000, setup.now - 3 * 3_600_000) },
  };
}

/**
 * Weeks before each deal is won, its client calls the manager, who registers the lead and keeps
 * it. Runs before the two weeks of history: intake takes routing turns in time order, and every
 * registration is at least 18 days old.
 */
async function registerBonusLeads(ctx: AppContext, snapshots: RoutingSnapshotLoader, setup: Setup, limit: number): Promise<Planned[]> {
  const at = (t: number): AppContext => ({ ...ctx, now: () => new Date(t) });
  const { previous, current } = monthsOf(setup);
  const planned: Planned[] = [];
  for (const [index, story] of STORIES.slice(0, Math.max(0, limit)).entries()) {
    const originator = setup.people.get(story.originator);
    if (!originator || !setup.people.has(story.closer)) continue;
    const window = story.month === 'previous' ? previous : current;
    const wonAt = Math.min(window.to - 3_600_000, Math.max(window.from + 3_600_000, window.from + (window.to - window.from) * story.at));
    if (wonAt >= setup.now) continue;
    const registered = wonAt - 18 * DAY;
    const input = {
      name: `${['Олег', 'Марина', 'Виктор', 'Светлана'][index % 4]} ${['Ершов', 'Белова', 'Громов', 'Киселева'][index % 4]}`,
      phone: `+7 916 700-${String(10 + index).padStart(2, '0')}-${String(20 + index).padStart(2, '0')}`,
      source: 'referral',
      channel: 'phone',
      companyName: story.company,
      region: 'Москва',
    };
    const prepared = { ...prepareLead(input, 'RU'), registration: { originatorId: story.originator, keep: true } };
    const [result] = await intakeLeads(at(registered), snapshots, [{ leads: [prepared], apiKeyId: null, idempotencyKey: `demo-bonus-${index}`, actor: `user:${originator.principal.userId}` }]);
    const leadId = result?.ok ? result.items[0]?.lead.id : undefined;
    if (leadId) planned.push({ story, index, leadId, registered, wonAt });
  }
  return planned;
}

/**
 * Each deal is registered, converted the same day (so no first-contact clock of the history's
 * sweeper lapses on it), presented, handed to the closer and won. Runs before the history.
 */
export async function playBonusDeals(ctx: AppContext, snapshots: RoutingSnapshotLoader, setup: Setup, limit: number): Promise<{ leads: number; deals: number; discounted: { dealId: string; amount: number } | null }> {
  const at = (t: number): AppContext => ({ ...ctx, now: () => new Date(t) });
  const planned = await registerBonusLeads(ctx, snapshots, setup, limit);
  let deals = 0;
  let firstPrevious: { dealId: string; amount: number } | null = null;
  for (const { story: s, leadId, registered, wonAt } of planned) {
    const originator = setup.people.get(s.originator) as DemoPerson;
    const closer = setup.people.get(s.closer) as DemoPerson;
    try {
      const title = `${s.company}: ${s.title}`;
      const conversion = await convertLead(at(registered + 3_600_000), originator.principal, leadId, { deal: { title, amount: s.amount, currency: 'RUB' } });
      const dealId = conversion.deal.id;
      const presented = addBusinessMinutes(registered + 4 * DAY, 120, originator.calendar);
      await changeDeal(at(presented), originator.principal, dealId, { stage: 'presentation', controlPoints: { presentation: new Date(presented).toISOString() } });
      if (s.proposalBy === 'originator') await changeDeal(at(presented + DAY), originator.principal, dealId, { stage: 'proposal', controlPoints: { proposal: new Date(presented + DAY).toISOString() } });
      // The client needs someone who knows the product well: the deal goes to the colleague who closes it.
      await handOverDeal(at(presented + 2 * DAY), originator.principal, dealId, { managerId: s.closer, reason: 'Клиенту нужен эксперт по продукту: ведёт коллега' });
      if (s.proposalBy === 'closer') await changeDeal(at(presented + 3 * DAY), closer.principal, dealId, { stage: 'proposal', controlPoints: { proposal: new Date(presented + 3 * DAY).toISOString() } });
      const signed = wonAt - 2 * 3_600_000;
      await changeDeal(at(signed), closer.principal, dealId, { stage: 'contract', controlPoints: { contract: new Date(signed).toISOString() } });
      await changeDeal(at(wonAt), closer.principal, dealId, { closed: 'won' });
      deals += 1;
      if (s.month === 'previous' && firstPrevious === null) firstPrevious = { dealId, amount: s.amount };
    } catch (error) {
      // A step the state does not allow (a cap, a race with the history) is skipped, as elsewhere in the demo.
      if (!(error instanceof LeadRouterError) || error.status >= 500) throw error;
    }
  }

  return { leads: planned.length, deals, discounted: firstPrevious };
}

/** After the history: last month is closed on the first working morning of this one, and a discount agreed afterwards on one of its deals comes as an adjustment. */
export async function closeLastBonusMonth(ctx: AppContext, setup: Setup, discounted: { dealId: string; amount: number } | null): Promise<void> {
  const at = (t: number): AppContext => ({ ...ctx, now: () => new Date(t) });
  const { monthStart } = monthsOf(setup);
  const closeAt = Math.min(setup.now - 60_000, monthStart.plus({ hours: 10 }).toMillis());
  const period = monthStart.minus({ months: 1 }).toFormat('yyyy-MM');
  await closeBonusPeriod(at(closeAt), setup.head, period, undefined);
  for (const team of ['team-spb', 'team-siberia', 'team-far-east', 'team-enterprise']) await closeBonusPeriod(at(closeAt + 60_000), setup.admin, period, team);
  if (discounted) await changeDeal(at(Math.min(setup.now - 30_000, closeAt + 3_600_000)), setup.admin, discounted.dealId, { amount: Math.round(discounted.amount * 0.95) });
}
