/** The teams and people screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `people`. */
export const people = {
  ru: {
    title: 'Команды и люди',
  },
  en: {
    title: 'Teams and people',
  },
};
