/**
 * Every text of the app in each language: the start catalogue (ru.ts / en.ts) and every screen's
 * catalogue. The app never imports this (it loads them piecemeal, see index.ts and areas.ts); the key
 * types (i18next.d.ts) and the tests read it.
 */
import { bonus } from './bonus';
import { clients } from './clients';
import { clientSplit } from './clientSplit';
import { consoleEn, consoleRu } from './console';
import { en as enStart } from './en';
import { motivation } from './motivation';
import { originator } from './originator';
import { reports } from './reports';
import { ru as ruStart } from './ru';

export const ru = {
  ...ruStart,
  ...consoleRu,
  reports: reports.ru,
  motivation: motivation.ru,
  bonus: bonus.ru,
  originator: originator.ru,
  clients: clients.ru,
  clientSplit: clientSplit.ru,
};

export const en = {
  ...enStart,
  ...consoleEn,
  reports: reports.en,
  motivation: motivation.en,
  bonus: bonus.en,
  originator: originator.en,
  clients: clients.en,
  clientSplit: clientSplit.en,
};
