/**
 * The optional qualification stage: when enabled, new leads (of the listed sources, or all)
 * wait for a qualifier to confirm them or mark them junk before routing sends them to sales.
 */
export interface QualificationSetting {
  enabled: boolean;
  /** Sources whose leads are checked; missing or empty means every lead. */
  sources?: string[];
}

export const QUALIFICATION_OFF: Readonly<QualificationSetting> = Object.freeze({ enabled: false });

/** Sources are compared lower-cased, as intake stores them. */
export function awaitsQualification(setting: QualificationSetting, source: string | null): boolean {
  if (!setting.enabled) return false;
  if (!setting.sources || setting.sources.length === 0) return true;
  if (source === null) return false;
  const wanted = source.toLowerCase();
  return setting.sources.some((s) => s.toLowerCase() === wanted);
}

/** What intake records for a lead it holds back for a qualifier: no routing decision yet. */
export const QUALIFICATION_HOLD = Object.freeze({
  outcome: 'pool',
  via: 'qualification',
  ruleId: null,
  trace: Object.freeze({ summary: 'Waits for a qualifier before routing' }),
} as const);
