/** What a manager can log on a lead, and what each kind of activity can end with. */
export const ACTIVITY_OUTCOMES = {
  call: ['reached', 'no_answer', 'busy', 'wrong_number', 'callback_requested'],
  email: ['sent', 'replied', 'bounced'],
  meeting: ['held', 'cancelled', 'no_show'],
  note: ['none'],
} as const satisfies Record<string, readonly string[]>;

export type ActivityKind = keyof typeof ACTIVITY_OUTCOMES;
export const ACTIVITY_KINDS = Object.keys(ACTIVITY_OUTCOMES) as ActivityKind[];

export function isActivityOutcome(kind: ActivityKind, outcome: string): boolean {
  return (ACTIVITY_OUTCOMES[kind] as readonly string[]).includes(outcome);
}

/**
 * A real contact is one where the client was actually reached: a conversation, a reply, a
 * meeting that took place. A sent e-mail or an unanswered call is an attempt, and does not
 * stop the first-contact clock.
 */
export function isRealContact(kind: ActivityKind, outcome: string): boolean {
  switch (kind) {
    case 'call':
      return outcome === 'reached' || outcome === 'callback_requested';
    case 'email':
      return outcome === 'replied';
    case 'meeting':
      return outcome === 'held';
    case 'note':
      return false;
  }
}

/**
 * The first contact is the owner's: a qualifier's check call before routing does not spend
 * the first-contact clock of the manager who gets the lead. Recorded once.
 */
export function stopsFirstContactClock(kind: ActivityKind, outcome: string, lead: { hasOwner: boolean; firstContactAt: string | null }): boolean {
  return lead.hasOwner && lead.firstContactAt === null && isRealContact(kind, outcome);
}

/** How far ahead of the server's clock a client's "now" may be before it counts as the future. */
export const CLOCK_SKEW_MS = 60_000;
