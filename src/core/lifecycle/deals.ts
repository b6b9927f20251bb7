/** A deal's way from conversion to money; 'won' and 'lost' close it. */
export const DEAL_STAGES = ['open', 'presentation', 'proposal', 'contract', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];
export const CLOSED_DEAL_STAGES: readonly DealStage[] = ['won', 'lost'];

/** Milestones the bonus scheme pays on; each holds when it was reached, or null. */
export const CONTROL_POINTS = ['presentation', 'proposal', 'contract'] as const;
export type ControlPointKey = (typeof CONTROL_POINTS)[number];
export interface ControlPoint {
  key: ControlPointKey;
  at: string | null;
  /** The manager who reached it (the bonus weight of the point is theirs); null when not reached or unknown. */
  by: string | null;
}

export function emptyControlPoints(): ControlPoint[] {
  return CONTROL_POINTS.map((key) => ({ key, at: null, by: null }));
}

/** Points as stored, in the fixed order; ones recorded before `by` existed read as reached by nobody known. */
export function readControlPoints(stored: ReadonlyArray<{ key: string; at?: string | null; by?: string | null }>): ControlPoint[] {
  return CONTROL_POINTS.map((key) => {
    const p = stored.find((s) => s.key === key);
    return { key, at: p?.at ?? null, by: p?.at ? (p.by ?? null) : null };
  });
}

/**
 * Sets the given points (null clears one), keeping the others and the fixed order. A point
 * set (or moved to another time) is credited to `by`; an untouched one keeps whoever reached it.
 */
export function withControlPoints(points: readonly ControlPoint[], changes: Partial<Record<ControlPointKey, string | null>>, by: string | null = null): ControlPoint[] {
  return CONTROL_POINTS.map((key) => {
    const old = points.find((p) => p.key === key);
    if (!(key in changes)) return { key, at: old?.at ?? null, by: old?.at ? (old.by ?? null) : null };
    const at = changes[key] ?? null;
    if (at === null) return { key, at: null, by: null };
    return { key, at, by: old?.at === at ? (old.by ?? by) : by };
  });
}

export interface DealChange {
  stage?: DealStage;
  closed?: 'won' | 'lost';
}

/**
 * The stage a change leads to, or why it is refused: a closed deal stays closed, and
 * `closed` and `stage` must not contradict each other.
 */
export function nextDealStage(current: DealStage, change: DealChange): { stage: DealStage } | { refused: string } {
  const wanted = change.closed ?? change.stage;
  if (change.closed && change.stage && change.stage !== change.closed) return { refused: `closed: "${change.closed}" contradicts stage: "${change.stage}"` };
  if (wanted === undefined || wanted === current) return { stage: current };
  if (CLOSED_DEAL_STAGES.includes(current)) return { refused: `The deal is already ${current}; a closed deal does not change stage` };
  return { stage: wanted };
}

export function isClosedDealStage(stage: DealStage): boolean {
  return CLOSED_DEAL_STAGES.includes(stage);
}
