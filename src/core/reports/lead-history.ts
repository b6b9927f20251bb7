/**
 * Who had a lead when, from its owner changes (assignment rows) in order. Pure.
 */
export interface OwnerChange {
  managerId: string | null;
  at: number;
  via: string;
  outcome: string;
  ruleId: string | null;
}

/** Ways a lead gets its first owner from routing (not a hand-over). */
const ROUTING_VIAS = new Set(['rule', 'ownership', 'fallback', 'qualification']);

/** The owner at an instant: the last change at or before it (null: nobody, the pool). */
export function ownerAt(changes: readonly OwnerChange[], ms: number): string | null {
  let owner: string | null = null;
  for (const c of changes) {
    if (c.at > ms) break;
    owner = c.managerId;
  }
  return owner;
}

/** The rule of the lead's first routing decision (the qualification hold is no decision). */
export function routingRuleOf(changes: readonly OwnerChange[]): string | null {
  for (const c of changes) {
    if (!ROUTING_VIAS.has(c.via)) continue;
    if (c.via === 'qualification' && c.outcome === 'pool' && c.ruleId === null) continue;
    return c.ruleId;
  }
  return null;
}

export function everOwned(changes: readonly OwnerChange[]): boolean {
  return changes.some((c) => c.managerId !== null);
}

/** The last manager who had the lead, whoever has it now (null: never owned). */
export function lastOwner(changes: readonly OwnerChange[]): string | null {
  for (let i = changes.length - 1; i >= 0; i--) {
    const id = (changes[i] as OwnerChange).managerId;
    if (id !== null) return id;
  }
  return null;
}
