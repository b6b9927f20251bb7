/** The languages people read the product in; Russian unless they chose English. */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A person's stored choice (users.locale): null or anything unknown reads Russian, as the web app shows. */
export function localeOf(stored: string | null | undefined): Locale {
  return stored === 'en' ? 'en' : 'ru';
}

/**
 * The reader's language from an `Accept-Language` header (integrations with an API key):
 * the first of ru / en by quality, Russian when neither is named.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return 'ru';
  let best: { locale: Locale; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
    const language = tag.split('-')[0];
    if ((language !== 'ru' && language !== 'en') || !(q > 0)) continue;
    if (best === null || q > best.q) best = { locale: language, q };
  }
  return best?.locale ?? 'ru';
}
