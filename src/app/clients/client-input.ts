import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const companyFields = {
  name: z.string().trim().min(1).max(300).describe('As people write it: «ООО «Ромашка»»'),
  taxId: optionalText(40).describe('ИНН, 10 or 12 digits with a valid checksum'),
  domain: optionalText(300).describe('The website or domain; stored as the registrable domain (shop.romashka.ru → romashka.ru). Mailbox providers are refused'),
  phones: z.array(z.string().trim().min(1).max(60)).max(20).optional().describe('Reception numbers, any common format; stored as E.164'),
  parentId: id.nullable().optional().describe('The holding this company belongs to'),
  size: z.number().int().min(0).max(10_000_000).nullable().optional().describe('Employees'),
  industry: optionalText(200),
  region: optionalText(200),
  note: optionalText(5000),
};

export const companyCreateSchema = z.strictObject({ ...companyFields, ownerId: id.nullable().optional().describe('The manager who owns the client') });
export const companyPatchSchema = z.strictObject({ ...companyFields, name: companyFields.name.optional() });

export const contactFields = {
  name: optionalText(300),
  companyId: id.nullable().optional(),
  phones: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
  emails: z.array(z.string().trim().min(1).max(300)).max(20).optional().describe('Unicode and punycode domains are one address: ivan@почта.рф = ivan@xn--80a1acny.xn--p1ai'),
  position: optionalText(200),
  note: optionalText(5000),
};

export const contactCreateSchema = z.strictObject({ ...contactFields, ownerId: id.nullable().optional() });
export const contactPatchSchema = z.strictObject(contactFields);

export const ownerChangeSchema = z.strictObject({
  ownerId: id.nullable().describe('The new owner; null: nobody owns the client'),
  reason: z.string().trim().max(500).optional().describe('Kept in the owner history'),
  withContacts: z.boolean().optional().describe("Companies only: the company's contacts that had the previous owner (or none) move too"),
});

export const mergeSchema = z.strictObject({
  duplicateId: id.describe('The duplicate: its leads, deals, contacts, subsidiaries, keys and owner history move to this record, then it is deleted'),
});

const listBase = {
  q: z.string().trim().max(200).optional().describe('Name contains, or an exact ИНН, phone, e-mail or domain'),
  ownerId: id.optional().describe('A manager id, or "none" for clients nobody owns'),
  teamId: id.optional().describe("Owned by this team's managers"),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export const companyListQuerySchema = z.strictObject({ ...listBase, parentId: id.optional().describe('Subsidiaries of this holding') });
export const contactListQuerySchema = z.strictObject({ ...listBase, companyId: id.optional() });

export type CompanyCreate = z.infer<typeof companyCreateSchema>;
export type CompanyPatch = z.infer<typeof companyPatchSchema>;
export type ContactCreate = z.infer<typeof contactCreateSchema>;
export type ContactPatch = z.infer<typeof contactPatchSchema>;
export type OwnerChange = z.infer<typeof ownerChangeSchema>;
export type CompanyListQuery = z.infer<typeof companyListQuerySchema>;
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;
