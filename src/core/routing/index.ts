export type * from './rule-set.js';
export type * from './manager-profile.js';
export type * from './trace.js';
export type * from './routing-session.js';
export {
  compileCondition,
  createConditionCompiler,
  evaluateCondition,
  type CompiledCondition,
  type ConditionCompiler,
  type TableCondition,
} from './conditions.js';
export {
  conditionSchema,
  ruleSetDefinitionSchema,
  targetSchema,
  ruleSchema,
  type RuleSetDefinitionInput,
} from './rule-set-schema.js';
export { validateRuleSet, RULE_ID_PATTERN, type KnownIds, type RuleSetValidation } from './validate-rule-set.js';
export type { RuleSetIssue } from './rule-set-issue.js';
export { checkAvailability, availabilityOn, managerLocalDate } from './availability.js';
export { readLocalClock, LocalClockCache, type LocalClock } from './local-clock.js';
export { compileWeeklyHours, parseClockTime, isWithinHours, CompiledWeeklyHours } from './working-hours.js';
export { chooseByFairShare, forfeitUnusedTurn, type FairShareCandidate, type FairShareChoice } from './fair-share.js';
export { chooseLeastLoaded, loadRatioOf, DEFAULT_CAPACITY, type LeastLoadedCandidate, type LeastLoadedChoice } from './least-loaded.js';
export { DEFAULT_PERFORMANCE, performanceShares, sharesFromRates, shrunkConversionRate } from './performance-weights.js';
export { findCandidates, type GroupTarget } from './candidates.js';
export { explainExclusion, exclusionPhrase, countExclusions } from './explain-exclusion.js';
export { createRoutingSession } from './create-routing-session.js';
