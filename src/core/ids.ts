/** Branded ids keep a lead id from being passed where a manager id is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type LeadId = Brand<string, 'LeadId'>;
export type ManagerId = Brand<string, 'ManagerId'>;
export type TeamId = Brand<string, 'TeamId'>;
export type RuleId = Brand<string, 'RuleId'>;
export type CompanyId = Brand<string, 'CompanyId'>;
export type ContactId = Brand<string, 'ContactId'>;
