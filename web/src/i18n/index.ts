import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ru } from './ru';

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

void i18n.use(initReactI18next).init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

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
