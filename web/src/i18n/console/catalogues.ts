/** The pipelines and catalogues screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `catalogues`. */
export const catalogues = {
  ru: {
    title: 'Воронки и справочники',
  },
  en: {
    title: 'Pipelines and catalogues',
  },
};
