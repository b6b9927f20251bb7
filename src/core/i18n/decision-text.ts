import { tierName } from '../routing/priority.js';
import type { Exclusion, ExclusionCounts, PeriodNote, ResultFacts, SummaryFacts } from '../routing/trace.js';
import { localDate, monthName, percent } from './format.js';
import type { Locale } from './locale.js';
import { messagesFor, type Messages } from './messages.js';

/** In the order candidates are filtered, so summaries list reasons the same way each time. */
const KIND_ORDER: ReadonlyArray<Exclusion['kind']> = ['dropped_before', 'paused', 'absent', 'off_hours', 'open_cap', 'daily_cap', 'missing_skill', 'profile_mismatch', 'unknown_manager'];

/**
 * A decision's one sentence in the reader's language, told from the facts the trace keeps:
 * «Правило «Москва» сработало; из 5 менеджеров могли взять 3 (2 вне рабочего времени); по
 * взвешенной очереди лид получает Анна Петрова (доля 40%).» In English it reads as the trace's `summary`.
 */
export function decisionText(facts: SummaryFacts, locale: Locale): string {
  const m = messagesFor(locale);
  const parts: string[] = [];
  if (facts.ownership !== undefined) parts.push(ownershipPart(m, locale, facts.ownership));
  for (const rule of facts.missed ?? []) parts.push(m.decision.missed(rule.ruleName, rule.memberCount, counted(m, rule.excluded)));
  const result = resultPart(m, locale, facts.result, (facts.missed ?? []).length > 0);
  if (result !== '') parts.push(result);
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** Why one manager was left out, short: «вне рабочего времени: 19:40, Asia/Vladivostok». */
export function exclusionText(exclusion: Exclusion, locale: Locale): string {
  const x = messagesFor(locale).exclusion;
  switch (exclusion.kind) {
    case 'paused':
      return x.paused();
    case 'absent':
      return x.absent(localDate(locale, exclusion.until));
    case 'off_hours':
      return x.off_hours(exclusion.localTime, exclusion.timeZone);
    case 'open_cap':
      return x.open_cap(exclusion.open, exclusion.max);
    case 'daily_cap':
      return x.daily_cap(exclusion.today, exclusion.max);
    case 'missing_skill':
      return x.missing_skill(exclusion.skill);
    case 'profile_mismatch':
      return x.profile_mismatch(exclusion.attribute, exclusion.value);
    case 'dropped_before':
      return x.dropped_before();
    case 'unknown_manager':
      return x.unknown_manager();
  }
}

/** «2 вне рабочего времени, 1 на паузе». */
export function counted(m: Messages, counts: ExclusionCounts): string {
  const texts: string[] = [];
  for (const kind of KIND_ORDER) {
    const n = counts[kind] ?? 0;
    if (n > 0) texts.push(m.counted[kind](n));
  }
  return texts.join(', ');
}

function ownershipPart(m: Messages, locale: Locale, o: NonNullable<SummaryFacts['ownership']>): string {
  const linked = m.decision.linked(m.decision.via[o.via] ?? o.via);
  if (o.ownerName === null) return m.decision.ownerGone(linked);
  const why = o.reason === undefined ? '' : exclusionText(o.reason, locale);
  switch (o.outcome) {
    case 'assigned':
      return m.decision.ownerAssigned(linked, o.ownerName);
    case 'owner_unavailable_wait':
      return m.decision.ownerWait(linked, o.ownerName, why);
    case 'owner_unavailable_pool':
      return m.decision.ownerPool(linked, o.ownerName, why);
    case 'owner_unavailable_next_rule':
      return m.decision.ownerNextRule(linked, o.ownerName, why);
  }
}

function resultPart(m: Messages, locale: Locale, r: ResultFacts, afterMiss: boolean): string {
  const d = m.decision;
  switch (r.kind) {
    case 'owner':
      return '';
    case 'registered':
      return d.registered(r.managerName);
    case 'person':
      return d.person(r.ruleName, r.managerName);
    case 'rule_pool':
      return d.rulePool(r.ruleName);
    case 'group': {
      const who = r.candidateCount === r.memberCount ? d.allCould(r.memberCount) : d.someCould(r.candidateCount, r.memberCount, counted(m, r.excluded));
      let tier = '';
      if (r.tier !== undefined) {
        for (const level of r.tier.above) tier += d.tierCouldNot(level.tier, tierWord(m, tierName(level.tier) ?? undefined), counted(m, level.excluded));
        tier += d.tierIn(r.tier.tier, tierWord(m, r.tier.name));
      }
      return d.group(r.ruleName, tier, who, winnerPart(m, locale, r));
    }
    case 'fallback': {
      const to = r.managerName !== null ? d.toDefaultManager(r.managerName) : r.managerMissing ? d.toPoolNoDefault : d.toPool;
      if (r.reason === 'no_rule_matched') return d.noRuleMatched(to);
      if (r.reason === 'rule_requested') return d.ruleRequested(to);
      return afterMiss ? d.noLaterRule(to) : d.noRule(to);
    }
  }
}

function tierWord(m: Messages, name: string | undefined): string | null {
  return name === undefined ? null : (m.decision.tierName[name] ?? name);
}

function winnerPart(m: Messages, locale: Locale, r: Extract<ResultFacts, { kind: 'group' }>): string {
  const d = m.decision;
  if (r.candidateCount === 1) return d.onlyOne(r.winnerName);
  if (r.strategy === 'least_loaded') return d.lightest(r.winnerName, r.open, r.maxOpen);
  const notes = [d.share(percent(locale, r.share))];
  if (r.period !== undefined) notes.push(d.period(r.period.assignedBefore + 1, periodWords(m, locale, r.period), r.period.timeZone));
  if (r.tiedWith > 0) notes.push(d.tie(r.tiedWith));
  return d.next(r.winnerName, d.strategy[r.strategy] ?? r.strategy, notes.join('; '));
}

function periodWords(m: Messages, locale: Locale, p: PeriodNote): string {
  if (p.period === 'day') return m.decision.day(localDate(locale, p.key));
  if (p.period === 'month') return m.decision.month(locale === 'en' ? p.key : monthName(locale, p.key));
  const week = /^(\d{4})-W(\d{2})$/.exec(p.key);
  return week ? m.decision.week(Number(week[2]), Number(week[1])) : p.key;
}
