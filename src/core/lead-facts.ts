/**
 * The attributes of a lead that routing conditions can look at, already normalised
 * (see src/core/normalize). Every field is optional: intake accepts sparse leads.
 */
export interface LeadFacts {
  source?: string | undefined;
  channel?: string | undefined;
  campaign?: string | undefined;
  utmSource?: string | undefined;
  utmMedium?: string | undefined;
  utmCampaign?: string | undefined;
  region?: string | undefined;
  country?: string | undefined;
  industry?: string | undefined;
  companySize?: number | undefined;
  productInterest?: string[] | undefined;
  dealValue?: number | undefined;
  language?: string | undefined;
  score?: number | undefined;
  priority?: string | undefined;
  email?: string | undefined;
  emailDomain?: string | undefined;
  phone?: string | undefined;
  companyName?: string | undefined;
  /** The contact person's name as sent ("Иванов Пётр"). */
  name?: string | undefined;
  taxId?: string | undefined;
  custom: Record<string, unknown>;
}

export type LeadFieldType = 'string' | 'number' | 'string[]';

/** Fields a rule condition may name; `custom.<key>` names a custom field of any type. */
export const LEAD_FIELDS: Readonly<Record<Exclude<keyof LeadFacts, 'custom'>, LeadFieldType>> = {
  source: 'string',
  channel: 'string',
  campaign: 'string',
  utmSource: 'string',
  utmMedium: 'string',
  utmCampaign: 'string',
  region: 'string',
  country: 'string',
  industry: 'string',
  companySize: 'number',
  productInterest: 'string[]',
  dealValue: 'number',
  language: 'string',
  score: 'number',
  priority: 'string',
  email: 'string',
  emailDomain: 'string',
  phone: 'string',
  companyName: 'string',
  name: 'string',
  taxId: 'string',
};

export const CUSTOM_FIELD_PREFIX = 'custom.';
