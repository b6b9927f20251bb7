/**
 * A lead's status pipeline. Teams name and order their own open stages; three keys are fixed
 * so the rest of the system can rely on them whatever the labels say: every lead enters at
 * 'new' (intake and hand-overs write it), and closes as 'converted' or 'junk' (capacity, SLA
 * and matching count a lead as open until then). 'pool' and 'qualification' are system
 * statuses of leads nobody owns yet and can never be stages.
 */
export type StageKind = 'open' | 'converted' | 'junk';

export interface Stage {
  key: string;
  label: string;
  kind: StageKind;
}

export const ENTRY_STAGE = 'new';
export const CONVERTED_STAGE = 'converted';
export const JUNK_STAGE = 'junk';
export const RESERVED_STATUSES: readonly string[] = ['pool', 'qualification'];

export const DEFAULT_STAGES: readonly Stage[] = Object.freeze([
  { key: 'new', label: 'New', kind: 'open' },
  { key: 'in_progress', label: 'In progress', kind: 'open' },
  { key: 'qualified', label: 'Qualified', kind: 'open' },
  { key: 'proposal', label: 'Proposal', kind: 'open' },
  { key: 'converted', label: 'Converted', kind: 'converted' },
  { key: 'junk', label: 'Junk', kind: 'junk' },
]);

export const STAGE_KEY = /^[a-z][a-z0-9_]{0,49}$/;

export interface PipelineIssue {
  path: string;
  code: string;
  message: string;
}

/** Everything wrong with a list of stages, each with the path of the stage to fix. */
export function pipelineIssues(stages: readonly Stage[]): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const seen = new Set<string>();
  stages.forEach((stage, i) => {
    const path = `stages[${i}]`;
    if (!STAGE_KEY.test(stage.key)) issues.push({ path: `${path}.key`, code: 'invalid_key', message: `"${stage.key}" is not a stage key: lower-case letters, digits and _, starting with a letter` });
    if (RESERVED_STATUSES.includes(stage.key)) issues.push({ path: `${path}.key`, code: 'reserved_key', message: `"${stage.key}" is a system status and cannot be a stage` });
    if (seen.has(stage.key)) issues.push({ path: `${path}.key`, code: 'duplicate_key', message: `The key "${stage.key}" is used twice` });
    seen.add(stage.key);
    if (stage.kind === 'converted' && stage.key !== CONVERTED_STAGE) issues.push({ path: `${path}.key`, code: 'terminal_key', message: `The converted stage must have the key "${CONVERTED_STAGE}" (its label is free)` });
    if (stage.kind === 'junk' && stage.key !== JUNK_STAGE) issues.push({ path: `${path}.key`, code: 'terminal_key', message: `The junk stage must have the key "${JUNK_STAGE}" (its label is free)` });
    if (stage.kind === 'open' && (stage.key === CONVERTED_STAGE || stage.key === JUNK_STAGE)) issues.push({ path: `${path}.kind`, code: 'terminal_key', message: `"${stage.key}" is a closing stage: its kind must be "${stage.key}"` });
  });
  const converted = stages.filter((s) => s.kind === 'converted').length;
  const junk = stages.filter((s) => s.kind === 'junk').length;
  if (converted !== 1) issues.push({ path: 'stages', code: 'converted_stage', message: `A pipeline needs exactly one converted stage; this one has ${converted}` });
  if (junk !== 1) issues.push({ path: 'stages', code: 'junk_stage', message: `A pipeline needs exactly one junk stage; this one has ${junk}` });
  if (stages[0]?.key !== ENTRY_STAGE || stages[0]?.kind !== 'open') {
    issues.push({ path: 'stages[0]', code: 'entry_stage', message: `The first stage must be the open stage "${ENTRY_STAGE}", where every lead enters (its label is free)` });
  }
  return issues;
}

export function stageOf(stages: readonly Stage[], status: string): Stage | undefined {
  return stages.find((s) => s.key === status);
}

export function isClosingKind(kind: StageKind): boolean {
  return kind !== 'open';
}

/** Open stages that the new list no longer has: leads in them would be stranded. */
export function removedOpenStages(before: readonly Stage[], after: readonly Stage[]): string[] {
  const kept = new Set(after.map((s) => s.key));
  return before.filter((s) => s.kind === 'open' && !kept.has(s.key)).map((s) => s.key);
}

export type StatusChangeRefusal =
  | { code: 'unknown_stage'; message: string }
  | { code: 'use_convert'; message: string }
  | { code: 'closed'; message: string }
  | { code: 'unowned'; message: string }
  | { code: 'same_stage'; message: string };

/**
 * Whether a lead may move from `from` to `to` in its pipeline. Open stages may follow each
 * other in any order (people fix mistakes); closed leads stay closed; conversion goes through
 * the conversion endpoint so every converted lead has its deal. A lead whose status is not in
 * its pipeline (it changed teams) may move to any stage of the new one.
 */
export function refuseStatusChange(stages: readonly Stage[], lead: { status: string; hasOwner: boolean }, to: string): StatusChangeRefusal | null {
  const target = stageOf(stages, to);
  if (!target) return { code: 'unknown_stage', message: `"${to}" is not a stage of this lead's pipeline; stages: ${stages.map((s) => s.key).join(', ')}` };
  if (lead.status === CONVERTED_STAGE || lead.status === JUNK_STAGE) return { code: 'closed', message: `The lead is already ${lead.status}; a closed lead does not reopen` };
  if (target.kind === 'converted') return { code: 'use_convert', message: 'Convert a lead with POST /api/v1/leads/{id}/convert, which also creates its deal' };
  if (lead.status === 'qualification') return { code: 'unowned', message: 'The lead waits for qualification: decide with POST /api/v1/leads/{id}/qualify' };
  if (!lead.hasOwner && target.kind === 'open') return { code: 'unowned', message: 'Nobody owns this lead: claim or assign it before moving it along the pipeline' };
  if (lead.status === to) return { code: 'same_stage', message: `The lead is already in the stage "${to}"` };
  return null;
}
