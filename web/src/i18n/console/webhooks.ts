/** The webhooks screen's texts: Russian and English side by side, wired into ru.ts / en.ts as `webhooks`. */
export const webhooks = {
  ru: {
    title: 'Вебхуки',
  },
  en: {
    title: 'Webhooks',
  },
};
