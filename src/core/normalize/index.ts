export { normalizePhone, isCountryCode } from './phone.js';
export type { CountryCode, PhoneProblem, PhoneResult } from './phone.js';
export { normalizeEmail, emailDomain } from './email.js';
export { normalizeDomain, registrableDomain, isFreeMailDomain, isDisposableDomain, isPlatformDomain } from './domain.js';
export { normalizeHostname, asciiHostname } from './hostname.js';
export { normalizeTaxId } from './tax-id.js';
export type { TaxId, TaxIdKind, TaxIdProblem, TaxIdResult } from './tax-id.js';
export { companyNameKey } from './company-name.js';
