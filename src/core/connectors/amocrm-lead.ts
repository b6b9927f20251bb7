/**
 * amoCRM API v4 leads and contacts (developers.kommo.com/reference; ../shared/INTEGRATIONS.md §B)
 * to and from leadrouter's lead input. Phones and e-mails are a contact's multitext fields with
 * field_code PHONE / EMAIL; a lead's tracking fields carry field codes UTM_SOURCE … UTM_TERM.
 */

export interface AmoFieldValue {
  field_id?: number;
  field_code?: string | null;
  field_name?: string;
  values?: Array<{ value?: unknown; enum_code?: string | null }>;
}

export interface AmoLead {
  id: number;
  name?: string | null;
  price?: number | null;
  responsible_user_id?: number | null;
  custom_fields_values?: AmoFieldValue[] | null;
  _embedded?: { contacts?: Array<{ id: number; is_main?: boolean }>; companies?: Array<{ id: number }>; tags?: Array<{ name?: string }> };
}

export interface AmoContact {
  id: number;
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  custom_fields_values?: AmoFieldValue[] | null;
}

export interface AmoCompany {
  id: number;
  name?: string | null;
}

const clean = (value: unknown, max: number): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text.slice(0, max);
};

function fieldValues(fields: AmoFieldValue[] | null | undefined, code: string, max: number): string[] {
  const out: string[] = [];
  for (const f of fields ?? []) {
    if ((f.field_code ?? '').toUpperCase() !== code) continue;
    for (const v of f.values ?? []) {
      const text = clean(v.value, max);
      if (text && !out.includes(text)) out.push(text);
    }
  }
  return out.slice(0, 10);
}

/** The lead input an amoCRM lead with its main contact and company makes. */
export function leadInputOfAmocrm(lead: AmoLead, contact: AmoContact | null, company: AmoCompany | null, defaults: { source: string }): Record<string, unknown> {
  const phones = fieldValues(contact?.custom_fields_values, 'PHONE', 64);
  const emails = fieldValues(contact?.custom_fields_values, 'EMAIL', 320);
  const personName = clean(contact?.name, 200) ?? ([clean(contact?.first_name, 100), clean(contact?.last_name, 100)].filter(Boolean).join(' ') || undefined);
  const companyName = clean(company?.name, 300);
  const leadName = clean(lead.name, 200);
  const utm: Record<string, string> = {};
  for (const part of ['source', 'medium', 'campaign', 'term', 'content']) {
    const [value] = fieldValues(lead.custom_fields_values, `UTM_${part.toUpperCase()}`, 200);
    if (value) utm[part] = value;
  }
  const input: Record<string, unknown> = {
    name: personName ?? (phones.length === 0 && emails.length === 0 && !companyName ? (leadName ?? `amoCRM #${lead.id}`) : undefined),
    ...(phones.length > 0 ? { phone: phones[0], ...(phones.length > 1 ? { phones: phones.slice(1) } : {}) } : {}),
    ...(emails.length > 0 ? { email: emails[0], ...(emails.length > 1 ? { emails: emails.slice(1) } : {}) } : {}),
    companyName,
    source: defaults.source,
    channel: 'amocrm',
    campaign: utm.campaign,
    ...(Object.keys(utm).length > 0 ? { utm } : {}),
    ...(typeof lead.price === 'number' && lead.price > 0 ? { dealValue: lead.price } : {}),
    custom: { 'amocrm.id': String(lead.id), ...(leadName ? { 'amocrm.name': leadName } : {}) },
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input;
}

export interface OutgoingAmoLead {
  id: string;
  name: string | null;
  companyName: string | null;
  phone: string | null;
  email: string | null;
  dealValue: number | null;
}

/** One /api/v4/leads/complex item: the lead with one contact (and company), its responsible user, and leadrouter's id as a tag. */
export function amocrmComplexOf(lead: OutgoingAmoLead, responsibleUserId: number | null): Record<string, unknown> {
  const contactFields = [
    ...(lead.phone ? [{ field_code: 'PHONE', values: [{ value: lead.phone, enum_code: 'WORK' }] }] : []),
    ...(lead.email ? [{ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] }] : []),
  ];
  return {
    name: lead.companyName ?? lead.name ?? lead.phone ?? lead.email ?? `leadrouter ${lead.id}`,
    ...(lead.dealValue !== null ? { price: Math.round(lead.dealValue) } : {}),
    ...(responsibleUserId !== null ? { responsible_user_id: responsibleUserId } : {}),
    _embedded: {
      tags: [{ name: 'leadrouter' }, { name: `leadrouter:${lead.id}` }],
      contacts: [{ first_name: lead.name ?? lead.phone ?? lead.email ?? lead.id, ...(contactFields.length > 0 ? { custom_fields_values: contactFields } : {}) }],
      ...(lead.companyName ? { companies: [{ name: lead.companyName }] } : {}),
    },
  };
}
