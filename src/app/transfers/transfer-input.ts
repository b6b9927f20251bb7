import { z } from 'zod';

const id = z.string().min(1).max(100);
const comment = z.string().trim().min(1).max(2000);
const overrideSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).describe('Why the recipient check is overridden; recorded on the transfer and in the audit log') });

export const transferRequestSchema = z.strictObject({
  reason: z.string().min(1).max(100).describe('The key of an active transfer reason from the catalogue'),
  comment: comment.optional(),
  toManagerId: id.optional().describe('The colleague who should take the lead; the head may choose another'),
});
export type TransferRequestInput = z.infer<typeof transferRequestSchema>;

export const transferApprovalSchema = z.strictObject({
  comment: comment.optional(),
  toManagerId: id.optional().describe('Overrides the recipient named in the request; without either, the routing rules choose'),
  override: overrideSchema.optional(),
});
export type TransferApprovalInput = z.infer<typeof transferApprovalSchema>;

export const transferRejectionSchema = z.strictObject({ comment });
export type TransferRejectionInput = z.infer<typeof transferRejectionSchema>;

export const MAX_BULK_REASSIGN = 500;

export const reassignSchema = z.strictObject({
  toManagerId: id,
  reason: z.string().trim().min(1).max(500),
  override: overrideSchema.optional(),
});
export type ReassignInput = z.infer<typeof reassignSchema>;

export const bulkReassignSchema = reassignSchema.extend({
  leadIds: z.array(id).min(1).max(MAX_BULK_REASSIGN),
});
export type BulkReassignInput = z.infer<typeof bulkReassignSchema>;
