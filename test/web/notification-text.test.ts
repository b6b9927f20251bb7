import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../src/app/notifications/topics.js';
import { KNOWN_TOPICS, notificationSentence, notificationTitle } from '../../web/src/features/notifications/notification-text.js';
import { en, ru } from '../../web/src/i18n/all.js';

describe('notification texts', () => {
  let t: TFunction;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'ru', resources: { ru: { translation: ru }, en: { translation: en } } });
    t = i18n.t;
  });

  it('every topic the server sends has a headline of its own', () => {
    expect([...KNOWN_TOPICS].sort()).toEqual([...TOPICS].sort());
    for (const topic of TOPICS) expect(notificationTitle(t, topic), topic).not.toBe(t('notifications.topics.other'));
    expect(notificationTitle(t, 'source.silent')).toBe('Источник лидов молчит');
  });

  it("shows the server's sentence only in the language it was written in", () => {
    expect(notificationSentence({ text: 'Lead X assigned to you' }, 'en')).toBe('Lead X assigned to you');
    expect(notificationSentence({ text: 'Lead X assigned to you' }, 'ru')).toBeNull();
    const russian = { text: 'Источник «web» молчит', details: { locale: 'ru' } };
    expect(notificationSentence(russian, 'ru')).toBe('Источник «web» молчит');
    expect(notificationSentence(russian, 'en')).toBeNull();
  });
});
