/**
 * The names people give lead fields — a site's form, a spreadsheet's header, an export from
 * another CRM — and the intake field each one means. Compared case-insensitively, without
 * spaces, `-`, `_` and dots: «Телефон», `Phone`, `your-phone` and `PHONE_NUMBER` all mean the
 * phone. Pure.
 */
const COMMON_NAMES: Readonly<Record<string, readonly string[]>> = {
  name: ['name', 'fullname', 'fio', 'фио', 'имя', 'yourname', 'contactname', 'contact', 'контакт', 'контактноелицо', 'client', 'клиент'],
  phone: ['phone', 'tel', 'telephone', 'phonenumber', 'mobile', 'телефон', 'тел', 'мобильный', 'yourphone', 'yourtel', 'whatsapp'],
  email: ['email', 'mail', 'emailaddress', 'почта', 'электроннаяпочта', 'youremail'],
  companyName: ['company', 'companyname', 'organization', 'organisation', 'компания', 'организация', 'названиекомпании', 'yourcompany'],
  taxId: ['inn', 'инн', 'taxid'],
  website: ['website', 'site', 'url', 'сайт'],
  comment: ['comment', 'comments', 'message', 'text', 'question', 'комментарий', 'сообщение', 'вопрос', 'примечание', 'yourmessage'],
  region: ['region', 'city', 'регион', 'город'],
  industry: ['industry', 'отрасль'],
  source: ['source', 'источник'],
  dealValue: ['dealvalue', 'budget', 'бюджет', 'сумма', 'суммасделки'],
  companySize: ['companysize', 'employees', 'сотрудников', 'числосотрудников'],
  productInterest: ['product', 'productinterest', 'service', 'продукт', 'услуга'],
  campaign: ['campaign', 'кампания'],
};

const UTM = ['source', 'medium', 'campaign', 'term', 'content'] as const;

export const squashName = (name: string): string => name.toLowerCase().replace(/[\s_\-.]+/g, '');

const BY_NAME = new Map<string, string>(Object.entries(COMMON_NAMES).flatMap(([field, names]) => names.map((n) => [n, field] as [string, string])));

/** The lead fields a name may stand for (besides `utm.<part>` and `custom.<name>`). */
export const COMMON_LEAD_FIELDS: readonly string[] = Object.keys(COMMON_NAMES);

/** `utm_source` and its kin as `utm.source`, then the common names; null when nothing knows the name. */
export function leadFieldOf(name: string): string | null {
  const lower = name.toLowerCase().trim();
  for (const key of UTM) if (lower === `utm_${key}` || lower === `utm-${key}` || lower === `utm${key}`) return `utm.${key}`;
  return BY_NAME.get(squashName(name)) ?? null;
}

/**
 * A number written the way people type it: "250 000" (spaces group thousands), "250000,50" or
 * "1.5" (one or two decimals). A comma or dot before exactly three digits ("250,000", "1.500")
 * may group thousands or mark decimals, so it is no number (null): the field is then refused by
 * name rather than read 1000 times too small.
 */
export function numberFromText(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^-?\d+([.,]\d{1,2})?$/.test(cleaned)) return null;
  return Number(cleaned.replace(',', '.'));
}
