/**
 * What the Telegram bot says, in the person's language (Russian unless they chose English in
 * the web app). Values of leads are escaped by the callers: messages go out with parse_mode HTML.
 */
export type BotLocale = 'ru' | 'en';

export function botLocale(locale: string | null | undefined): BotLocale {
  return locale === 'en' ? 'en' : 'ru';
}

/** A chat nobody linked yet: Telegram's language of the app, Russian by default. */
export function guestLocale(languageCode: string | undefined): BotLocale {
  return languageCode?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

const RU = {
  newLead: '🆕 Новый лид',
  poolLead: '📥 Лид в общем пуле',
  source: 'Источник',
  take: 'Взять',
  callLater: 'Перезвонить позже',
  open: 'Открыть',
  linked: (name: string) => `Готово, ${name}! Telegram подключён к leadrouter: сюда будут приходить новые лиды с кнопками «Взять», «Перезвонить позже» и «Открыть».`,
  badCode: 'Ссылка не подошла: она одноразовая и действует 15 минут. Откройте в leadrouter «Уведомления → Подключить Telegram» и перейдите по новой ссылке.',
  welcomeLinked: (name: string) => `Этот чат подключён к leadrouter (${name}). Отключить: /stop или «Отключить Telegram» в настройках уведомлений.`,
  welcomeGuest: 'Это бот leadrouter. Чтобы получать лиды здесь, откройте в leadrouter «Уведомления → Подключить Telegram».',
  unlinked: 'Telegram отключён: сообщений от leadrouter сюда больше не будет.',
  notLinked: 'Этот чат не подключён к leadrouter.',
  youTook: '✅ Лид ваш',
  takenBy: (name: string) => `Лид уже взял ${name}`,
  alreadyTaken: 'Лид уже взят',
  takenByLine: (name: string) => `🔒 Взял: ${name}`,
  callbackTitle: 'Перезвонить',
  callbackSet: (time: string) => `⏰ Перезвонить в ${time}`,
  callbackAnswer: (time: string) => `Задача «Перезвонить» на ${time}`,
  failed: (reason: string) => `Не получилось: ${reason}`,
  stale: 'Эта кнопка устарела',
} as const;

const EN: { [K in keyof typeof RU]: (typeof RU)[K] extends string ? string : (typeof RU)[K] } = {
  newLead: '🆕 New lead',
  poolLead: '📥 A lead in the pool',
  source: 'Source',
  take: 'Take',
  callLater: 'Call back later',
  open: 'Open',
  linked: (name: string) => `Done, ${name}! Telegram is linked to leadrouter: new leads come here with «Take», «Call back later» and «Open» buttons.`,
  badCode: 'This link did not work: it is single-use and valid for 15 minutes. In leadrouter open «Notifications → Connect Telegram» and follow the new link.',
  welcomeLinked: (name: string) => `This chat is linked to leadrouter (${name}). To unlink: /stop, or «Unlink Telegram» in the notification settings.`,
  welcomeGuest: 'This is the leadrouter bot. To get leads here, open «Notifications → Connect Telegram» in leadrouter.',
  unlinked: 'Telegram is unlinked: leadrouter will not write here any more.',
  notLinked: 'This chat is not linked to leadrouter.',
  youTook: '✅ The lead is yours',
  takenBy: (name: string) => `${name} already took this lead`,
  alreadyTaken: 'The lead is already taken',
  takenByLine: (name: string) => `🔒 Taken by ${name}`,
  callbackTitle: 'Call back',
  callbackSet: (time: string) => `⏰ Call back at ${time}`,
  callbackAnswer: (time: string) => `Task «Call back» at ${time}`,
  failed: (reason: string) => `That did not work: ${reason}`,
  stale: 'This button is out of date',
};

export type BotTexts = typeof EN;

export function botTexts(locale: BotLocale): BotTexts {
  return locale === 'en' ? EN : RU;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
