/**
 * Domains shared by many unrelated people or companies. Two leads on one of these have
 * nothing in common, so matching must never link them by domain.
 */

/** Mailbox providers; a subdomain counts too (e.mail.ru is still Mail.ru). */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Russia and neighbours
  'mail.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'internet.ru', 'mail.ua', 'mail.kz',
  'ya.ru', 'narod.ru',
  'rambler.ru', 'rambler.ua', 'lenta.ru', 'ro.ru', 'autorambler.ru', 'myrambler.ru',
  'qip.ru', 'pochta.ru', 'hotbox.ru', 'nm.ru', 'e1.ru', 'ngs.ru',
  'ukr.net', 'i.ua', 'meta.ua', 'bigmir.net', 'tut.by',
  // International
  'gmail.com', 'googlemail.com', 'live.com', 'msn.com',
  'icloud.com', 'me.com', 'mac.com', 'ymail.com', 'rocketmail.com', 'aol.com',
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me',
  'tutanota.com', 'tutanota.de', 'tuta.io', 'tuta.com',
  'zoho.com', 'zohomail.com', 'mail.com', 'email.com', 'fastmail.com', 'hey.com',
  'web.de', 't-online.de', 'freenet.de', 'libero.it', 'orange.fr', 'wanadoo.fr',
  'laposte.net', 'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'onet.pl',
  'qq.com', '163.com', '126.com', 'sina.com', 'naver.com', 'rediffmail.com',
  // Disposable
  'yopmail.com', 'mailinator.com', 'guerrillamail.com', 'temp-mail.org', '10minutemail.com',
]);

/** Providers that run the same free service under many country domains (gmx.de, yahoo.co.uk). */
export const FREE_MAIL_BRANDS: ReadonlySet<string> = new Set([
  'gmx', 'yahoo', 'hotmail', 'outlook', 'yandex',
]);

/**
 * Sites where a company's identity is in the path (vk.com/romashka), which a domain drops;
 * a subdomain counts too (m.vk.com).
 */
export const PLATFORM_DOMAINS: ReadonlySet<string> = new Set([
  'vk.com', 'vk.ru', 'vkontakte.ru', 'ok.ru', 'odnoklassniki.ru', 'dzen.ru',
  't.me', 'telegram.me', 'telegram.org', 'wa.me', 'whatsapp.com', 'max.ru',
  'instagram.com', 'facebook.com', 'fb.com', 'youtube.com', 'youtu.be', 'rutube.ru',
  'twitter.com', 'x.com', 'linkedin.com', 'tiktok.com', 'pinterest.com',
  'avito.ru', 'ozon.ru', 'wildberries.ru', 'wb.ru', 'market.yandex.ru', 'hh.ru',
  '2gis.ru', 'google.com', 'goo.gl', 'github.com', 'linktr.ee', 'taplink.cc', 'taplink.ws',
]);
