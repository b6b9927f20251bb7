/** The routing rules screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `rules`. */
export const rules = {
  ru: {
    title: 'Правила распределения',
  },
  en: {
    title: 'Routing rules',
  },
};
