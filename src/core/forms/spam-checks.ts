/**
 * Whether a form submission is spam, by the checks that need no outside service. Pure. A bot fills every field it finds, the hidden honeypot too, and submits
 * the moment the page loads; a person leaves the honeypot empty and takes a few seconds.
 */
export interface SpamSettings {
  /** The hidden field that must stay empty; null: no honeypot. */
  honeypotField: string | null;
  /** Fewer seconds than this between the form's render and the submit (`_lr_elapsed`, measured by the embed snippet in the browser) is a bot; 0: no check. */
  minSeconds: number;
}

export type SpamVerdict = { spam: false } | { spam: true; check: 'honeypot' | 'too_fast'; detail: string };

export function spamVerdict(fields: Readonly<Record<string, string>>, settings: SpamSettings): SpamVerdict {
  if (settings.honeypotField !== null) {
    const bait = fields[settings.honeypotField];
    if (bait !== undefined && bait.trim() !== '') return { spam: true, check: 'honeypot', detail: `the hidden field "${settings.honeypotField}" was filled in` };
  }
  // Only forms that say how long they were on screen (the embed snippet's) can be timed; Tilda's
  // cannot. Both ends of that time are the browser's clock, so its error does not matter.
  const elapsed = fields._lr_elapsed === undefined || fields._lr_elapsed.trim() === '' ? Number.NaN : Number(fields._lr_elapsed);
  if (settings.minSeconds > 0 && Number.isFinite(elapsed) && elapsed >= 0) {
    const seconds = elapsed / 1000;
    if (seconds < settings.minSeconds) return { spam: true, check: 'too_fast', detail: `sent ${seconds.toFixed(1)} s after the form was shown (at least ${settings.minSeconds} s expected)` };
  }
  return { spam: false };
}
