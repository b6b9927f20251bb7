/** The api keys screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `apiKeys`. */
export const apiKeys = {
  ru: {
    title: 'API-ключи',
  },
  en: {
    title: 'API keys',
  },
};
