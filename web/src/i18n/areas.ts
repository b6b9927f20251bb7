/**
 * Catalogues that are not part of the app's first load: each is fetched in the active language together
 * with the screens that use it (withTexts in web/src/app/router.tsx); a language switch fetches the
 * catalogues loaded so far in the new language. A new screen's texts go in a file of their own, listed
 * here and in all.ts.
 */
type Language = 'ru' | 'en';

// `?lang=` takes one language out of a file that holds both (the one-language plugin in web/vite.config.ts).
export const AREAS = {
  rules: { ru: () => import('./console/rules?lang=ru'), en: () => import('./console/rules?lang=en') },
  people: { ru: () => import('./console/people?lang=ru'), en: () => import('./console/people?lang=en') },
  slaSettings: { ru: () => import('./console/sla?lang=ru'), en: () => import('./console/sla?lang=en') },
  catalogues: { ru: () => import('./console/catalogues?lang=ru'), en: () => import('./console/catalogues?lang=en') },
  apiKeys: { ru: () => import('./console/apiKeys?lang=ru'), en: () => import('./console/apiKeys?lang=en') },
  webhooks: { ru: () => import('./console/webhooks?lang=ru'), en: () => import('./console/webhooks?lang=en') },
  forms: { ru: () => import('./console/forms?lang=ru'), en: () => import('./console/forms?lang=en') },
  imports: { ru: () => import('./console/imports?lang=ru'), en: () => import('./console/imports?lang=en') },
  integrations: { ru: () => import('./console/integrations?lang=ru'), en: () => import('./console/integrations?lang=en') },
  audit: { ru: () => import('./console/audit?lang=ru'), en: () => import('./console/audit?lang=en') },
  sourceHealth: { ru: () => import('./console/sourceHealth?lang=ru'), en: () => import('./console/sourceHealth?lang=en') },
  reports: { ru: () => import('./reports?lang=ru'), en: () => import('./reports?lang=en') },
  motivation: { ru: () => import('./motivation?lang=ru'), en: () => import('./motivation?lang=en') },
  bonus: { ru: () => import('./bonus?lang=ru'), en: () => import('./bonus?lang=en') },
  originator: { ru: () => import('./originator?lang=ru'), en: () => import('./originator?lang=en') },
  clients: { ru: () => import('./clients?lang=ru'), en: () => import('./clients?lang=en') },
  clientSplit: { ru: () => import('./clientSplit?lang=ru'), en: () => import('./clientSplit?lang=en') },
} satisfies Record<string, Record<Language, () => Promise<{ default: object }>>>;

export type Area = keyof typeof AREAS;
