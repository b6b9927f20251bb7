/**
 * Whether a form submission is spam, by the checks that need no outside service. Pure: the
 * clock is passed in. A bot fills every field it finds, the hidden honeypot too, and submits
 * the moment the page loads; a person leaves the honeypot empty and takes a few seconds.
 */
export interface SpamSettings {
  /** The hidden field that must stay empty; null: no honeypot. */
  honeypotField: string | null;
  /** Fewer seconds than this between the form's render (`_lr_t`, set by the embed snippet) and the submit is a bot; 0: no check. */
  minSeconds: number;
}

export type SpamVerdict = { spam: false } | { spam: true; check: 'honeypot' | 'too_fast'; detail: string };

export function spamVerdict(fields: Readonly<Record<string, string>>, settings: SpamSettings, nowMs: number): SpamVerdict {
  if (settings.honeypotField !== null) {
    const bait = fields[settings.honeypotField];
    if (bait !== undefined && bait.trim() !== '') return { spam: true, check: 'honeypot', detail: `the hidden field "${settings.honeypotField}" was filled in` };
  }
  const rendered = Number(fields._lr_t);
  // Only forms that carry the render time (the embed snippet's) can be timed; Tilda's cannot.
  if (settings.minSeconds > 0 && Number.isFinite(rendered) && rendered > 0) {
    const seconds = (nowMs - rendered) / 1000;
    if (seconds >= 0 && seconds < settings.minSeconds) return { spam: true, check: 'too_fast', detail: `sent ${seconds.toFixed(1)} s after the form was shown (at least ${settings.minSeconds} s expected)` };
  }
  return { spam: false };
}
