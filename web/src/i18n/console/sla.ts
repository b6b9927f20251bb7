/** The sla and holidays screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `sla`. */
export const sla = {
  ru: {
    title: 'SLA и праздники',
  },
  en: {
    title: 'SLA and holidays',
  },
};
