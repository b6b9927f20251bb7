import { createContext, useContext } from 'react';
import type { Manager, Team } from '@/api/types';
import type { Names } from './describe-rules';
import type { RuleSetIssue } from './rule-issues';
import type { RoutingVocabulary } from './rules-api';

/** What every part of the builder needs: the server's issues, the data for pickers, and whether editing is allowed. */
export interface RuleEditorEnvironment {
  issues: readonly RuleSetIssue[];
  readOnly: boolean;
  managers: readonly Manager[];
  teams: readonly Team[];
  vocabulary: RoutingVocabulary | undefined;
  names: Names;
}

const RuleEditorContext = createContext<RuleEditorEnvironment | null>(null);

export const RuleEditorProvider = RuleEditorContext.Provider;

export function useRuleEditor(): RuleEditorEnvironment {
  const environment = useContext(RuleEditorContext);
  if (!environment) throw new Error('useRuleEditor outside RuleEditorProvider');
  return environment;
}

/** Names for ids, falling back to the id itself for someone who no longer exists. */
export function namesOf(managers: readonly Manager[], teams: readonly Team[]): Names {
  const managerNames = new Map(managers.map((m) => [m.id, m.name]));
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  return { manager: (id) => managerNames.get(id) ?? id, team: (id) => teamNames.get(id) ?? id };
}
