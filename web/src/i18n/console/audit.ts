/** The audit log screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `audit`. */
export const audit = {
  ru: {
    title: 'Журнал изменений',
  },
  en: {
    title: 'Audit log',
  },
};
