import { Button, Group, Select, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { reasonLabel } from '../labels';
import { useManagers, useReasons, useRequestTransfer } from '../leads-api';

/** Ask the head to hand the lead to a colleague: a reason from the catalogue, a comment, maybe a recipient. */
export function TransferForm({ leadId, ownerId, onDone }: { leadId: string; ownerId: string | null; onDone(result: { status: string }): void }) {
  const { t } = useTranslation();
  const request = useRequestTransfer(leadId);
  const reasons = useReasons('transfer');
  const managers = useManagers();
  const [reason, setReason] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [recipient, setRecipient] = useState<string | null>(null);
  // The head approves hand-overs within the team only: offer the owner's teammates.
  const teamOf = (id: string | null) => managers.data?.find((m) => m.id === id)?.teamId ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason) return;
    request.mutate(
      { reason, ...(comment.trim() ? { comment: comment.trim() } : {}), ...(recipient ? { toManagerId: recipient } : {}) },
      { onSuccess: (answer) => onDone({ status: String((answer as { transfer?: { status?: string }; status?: string }).transfer?.status ?? (answer as { status?: string }).status ?? 'pending') }) },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label={t('transfer.reason')}
          required
          value={reason}
          onChange={setReason}
          data={(reasons.data ?? []).filter((r) => r.active).map((r) => ({ value: r.key, label: reasonLabel(t, 'transfer', r.key, r.label) }))}
          error={fieldError(request.error, 'reason')}
        />
        <Textarea label={t('transfer.comment')} autosize minRows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} error={fieldError(request.error, 'comment')} />
        <Select
          label={t('transfer.recipient')}
          description={t('transfer.recipientHint')}
          clearable
          searchable
          value={recipient}
          onChange={setRecipient}
          data={(managers.data ?? []).filter((m) => m.id !== ownerId && m.teamId === teamOf(ownerId)).map((m) => ({ value: m.id, label: m.name }))}
          error={fieldError(request.error, 'toManagerId')}
        />
        <FormError error={request.error} fields={['reason', 'comment', 'toManagerId']} />
        <Group justify="flex-end">
          <Button type="submit" loading={request.isPending} disabled={!reason}>{t('transfer.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
