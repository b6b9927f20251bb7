/**
 * The configuration console's catalogues, one file per screen with both languages side by side,
 * so each screen's texts live in one place. all.ts spreads these in (the app loads each with its screens: areas.ts); the catalogue
 * test checks that both languages have the same keys.
 */
import { apiKeys } from './apiKeys';
import { audit } from './audit';
import { catalogues } from './catalogues';
import { forms } from './forms';
import { imports } from './imports';
import { integrations } from './integrations';
import { people } from './people';
import { rules } from './rules';
import { sla } from './sla';
import { sourceHealth } from './sourceHealth';
import { webhooks } from './webhooks';

export const consoleRu = {
  rules: rules.ru,
  people: people.ru,
  slaSettings: sla.ru,
  catalogues: catalogues.ru,
  apiKeys: apiKeys.ru,
  webhooks: webhooks.ru,
  forms: forms.ru,
  imports: imports.ru,
  integrations: integrations.ru,
  audit: audit.ru,
  sourceHealth: sourceHealth.ru,
};

export const consoleEn = {
  rules: rules.en,
  people: people.en,
  slaSettings: sla.en,
  catalogues: catalogues.en,
  apiKeys: apiKeys.en,
  webhooks: webhooks.en,
  forms: forms.en,
  imports: imports.en,
  integrations: integrations.en,
  audit: audit.en,
  sourceHealth: sourceHealth.en,
};
