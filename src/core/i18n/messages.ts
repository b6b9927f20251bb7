import type { Locale } from './locale.js';
import { en } from './messages-en.js';
import { ru, type Messages } from './messages-ru.js';

export type { Messages };

const CATALOGUES: Record<Locale, Messages> = { ru, en };

/** The reader's catalogue of server-written sentences. */
export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}
