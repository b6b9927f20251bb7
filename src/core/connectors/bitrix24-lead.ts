/**
 * Bitrix24 lead fields (B24DOCS api-reference/crm/leads/crm-lead-add.md, data-types.md) to and
 * from leadrouter's lead input. Multifields (PHONE, EMAIL, WEB) are lists of
 * `{VALUE, VALUE_TYPE}`; UTM_* are plain fields; ORIGINATOR_ID/ORIGIN_ID link a lead to an
 * outside system's record.
 */

export interface Bitrix24Multifield {
  ID?: string;
  VALUE?: string;
  VALUE_TYPE?: string;
}

export interface Bitrix24Lead {
  ID: string;
  TITLE?: string | null;
  NAME?: string | null;
  SECOND_NAME?: string | null;
  LAST_NAME?: string | null;
  COMPANY_TITLE?: string | null;
  PHONE?: Bitrix24Multifield[];
  EMAIL?: Bitrix24Multifield[];
  WEB?: Bitrix24Multifield[];
  SOURCE_ID?: string | null;
  SOURCE_DESCRIPTION?: string | null;
  UTM_SOURCE?: string | null;
  UTM_MEDIUM?: string | null;
  UTM_CAMPAIGN?: string | null;
  UTM_CONTENT?: string | null;
  UTM_TERM?: string | null;
  COMMENTS?: string | null;
  OPPORTUNITY?: string | number | null;
  ASSIGNED_BY_ID?: string | number | null;
  ORIGINATOR_ID?: string | null;
  ORIGIN_ID?: string | null;
  [field: string]: unknown;
}

/** ORIGINATOR_ID of the leads leadrouter creates in Bitrix24; such a lead is never brought back in. */
export const LEADROUTER_ORIGINATOR = 'leadrouter';

const clean = (value: unknown, max: number): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text.slice(0, max);
};

const values = (fields: Bitrix24Multifield[] | undefined, max: number): string[] =>
  [...new Set((Array.isArray(fields) ? fields : []).map((f) => clean(f?.VALUE, max)).filter((v): v is string => v !== undefined))].slice(0, 10);

/** Comments come as HTML from the lead form's editor: kept as plain text. */
const plain = (html: unknown): string | undefined => clean(typeof html === 'string' ? html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '') : undefined, 5000);

/** A source code leadrouter's rules can name: WEB → web, TRADE_SHOW → trade_show, a custom «5|1» → 5-1. */
function sourceCode(value: unknown): string | undefined {
  const text = clean(value, 100);
  if (!text) return undefined;
  const code = text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return code === '' ? undefined : code;
}

/** The lead input a Bitrix24 lead makes: every lead has at least a name (the title, or «Bitrix24 #id»). */
export function leadInputOfBitrix24(lead: Bitrix24Lead, defaults: { source: string }): Record<string, unknown> {
  const name = [clean(lead.NAME, 80), clean(lead.SECOND_NAME, 80), clean(lead.LAST_NAME, 80)].filter(Boolean).join(' ').slice(0, 200) || undefined;
  const phones = values(lead.PHONE, 64);
  const emails = values(lead.EMAIL, 320);
  const website = values(lead.WEB, 300)[0];
  const companyName = clean(lead.COMPANY_TITLE, 300);
  const utm = {
    source: clean(lead.UTM_SOURCE, 200),
    medium: clean(lead.UTM_MEDIUM, 200),
    campaign: clean(lead.UTM_CAMPAIGN, 200),
    term: clean(lead.UTM_TERM, 200),
    content: clean(lead.UTM_CONTENT, 200),
  };
  const utmGiven = Object.fromEntries(Object.entries(utm).filter(([, v]) => v !== undefined));
  const amount = Number(lead.OPPORTUNITY);
  const title = clean(lead.TITLE, 200);
  const input: Record<string, unknown> = {
    name: name ?? (phones.length === 0 && emails.length === 0 && !companyName ? (title ?? `Bitrix24 #${lead.ID}`) : undefined),
    ...(phones.length > 0 ? { phone: phones[0], ...(phones.length > 1 ? { phones: phones.slice(1) } : {}) } : {}),
    ...(emails.length > 0 ? { email: emails[0], ...(emails.length > 1 ? { emails: emails.slice(1) } : {}) } : {}),
    companyName,
    website,
    source: sourceCode(lead.SOURCE_ID) ?? defaults.source,
    channel: 'bitrix24',
    campaign: utm.campaign,
    ...(Object.keys(utmGiven).length > 0 ? { utm: utmGiven } : {}),
    ...(Number.isFinite(amount) && amount > 0 ? { dealValue: amount } : {}),
    comment: plain(lead.COMMENTS),
    custom: { 'bitrix24.id': String(lead.ID), ...(title ? { 'bitrix24.title': title } : {}), ...(clean(lead.SOURCE_DESCRIPTION, 2000) ? { 'bitrix24.source_description': clean(lead.SOURCE_DESCRIPTION, 2000) } : {}) },
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input;
}

/** What leadrouter knows of a lead, as crm.lead.add fields (the caller adds ASSIGNED_BY_ID). */
export interface OutgoingLead {
  id: string;
  name: string | null;
  companyName: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  source: string | null;
  channel: string | null;
  utm: Record<string, string> | null;
  dealValue: number | null;
  comment: string | null;
}

export function bitrix24FieldsOf(lead: OutgoingLead): Record<string, unknown> {
  const utm = lead.utm ?? {};
  const fields: Record<string, unknown> = {
    TITLE: lead.companyName ?? lead.name ?? lead.phone ?? lead.email ?? `leadrouter ${lead.id}`,
    NAME: lead.name ?? undefined,
    COMPANY_TITLE: lead.companyName ?? undefined,
    PHONE: lead.phone ? [{ VALUE: lead.phone, VALUE_TYPE: 'WORK' }] : undefined,
    EMAIL: lead.email ? [{ VALUE: lead.email, VALUE_TYPE: 'WORK' }] : undefined,
    WEB: lead.website ? [{ VALUE: lead.website, VALUE_TYPE: 'WORK' }] : undefined,
    SOURCE_ID: 'OTHER',
    SOURCE_DESCRIPTION: ['leadrouter', lead.source, lead.channel].filter(Boolean).join(' / '),
    UTM_SOURCE: utm.source,
    UTM_MEDIUM: utm.medium,
    UTM_CAMPAIGN: utm.campaign,
    UTM_CONTENT: utm.content,
    UTM_TERM: utm.term,
    OPPORTUNITY: lead.dealValue ?? undefined,
    COMMENTS: lead.comment ?? undefined,
    OPENED: 'Y',
    ORIGINATOR_ID: LEADROUTER_ORIGINATOR,
    ORIGIN_ID: lead.id,
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}
