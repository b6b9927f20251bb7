import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { AREAS, type Area } from './areas';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Russian first: the product is built for Russian-speaking sales floors. */
export const DEFAULT_LANGUAGE: Language = 'ru';
const STORAGE_KEY = 'leadrouter.language';

export function isLanguage(value: unknown): value is Language {
  return value === 'ru' || value === 'en';
}

/** Before sign-in the browser remembers the last choice; after it, the person's own setting wins. */
function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
}

// Only the active language is fetched, and only its start catalogue (ru.ts / en.ts); screens bring
// their own catalogues (areas.ts) with their routes, in the active language too. A small backend by hand
// rather than i18next-resources-to-backend: it is the same dynamic import(), and a language arriving
// later (a switch) must also fetch, in its own words, the screens' catalogues loaded so far.
const START: Record<Language, () => Promise<object>> = {
  ru: async () => (await import('./ru')).ru,
  en: async () => (await import('./en')).en,
};
const loadedAreas = new Set<Area>();
const arriving = new Set<Language>();

async function catalogue(language: Language): Promise<object> {
  const areas = [...loadedAreas];
  const [start, texts] = await Promise.all([START[language](), Promise.all(areas.map((area) => AREAS[area][language]()))]);
  return { ...start, ...Object.fromEntries(areas.map((area, i) => [area, texts[i]?.default])) };
}

const catalogueBackend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read: (language, _namespace, callback) => {
    if (!isLanguage(language)) return callback(null, {});
    arriving.add(language);
    catalogue(language).then(
      (texts) => { arriving.delete(language); callback(null, texts); },
      (error: Error) => { arriving.delete(language); callback(error, null); },
    );
  },
};

/** Resolves once the active language's catalogue is in: main.tsx renders nothing before, so no raw keys show. */
export const i18nReady = i18n.use(catalogueBackend).use(initReactI18next).init({
  lng: initialLanguage(),
  fallbackLng: false,
  ns: ['translation'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Fetches screens' catalogues before their route renders (withTexts in app/router.tsx), in every language loaded or on its way. */
export async function loadTexts(areas: readonly Area[]): Promise<void> {
  const added = areas.filter((area) => !loadedAreas.has(area));
  for (const area of added) loadedAreas.add(area);
  const languages = LANGUAGES.filter((language) => arriving.has(language) || i18n.hasResourceBundle(language, 'translation'));
  try {
    await Promise.all(languages.flatMap((language) => added.map(async (area) => {
      const texts = (await AREAS[area][language]()).default;
      i18n.addResourceBundle(language, 'translation', { [area]: texts }, true, true);
    })));
  } catch (error) {
    for (const area of added) loadedAreas.delete(area); // the next visit tries again
    throw error;
  }
}

export async function switchLanguage(language: Language): Promise<void> {
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  await i18n.changeLanguage(language);
}

export { i18n };

let pickedOnSignIn = false;

/** The person chose a language on the sign-in page: after sign-in it becomes theirs. */
export function markLanguagePickedOnSignIn(): void {
  pickedOnSignIn = true;
}

export function takeLanguagePickedOnSignIn(): boolean {
  const was = pickedOnSignIn;
  pickedOnSignIn = false;
  return was;
}
