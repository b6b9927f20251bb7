import { Button, Group, Select, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { reasonLabel, stageLabel } from '../labels';
import { useChangeStatus, useReasons } from '../leads-api';

/** Move a lead along its pipeline; junk needs a reason from the catalogue. */
export function StatusForm({ leadId, current, stages, onDone }: { leadId: string; current: string; stages: Array<{ key: string; label: string; kind: string }>; onDone(): void }) {
  const { t } = useTranslation();
  const change = useChangeStatus(leadId);
  const reasons = useReasons('junk');
  const choices = stages.filter((s) => s.kind !== 'converted' && s.key !== current);
  const [status, setStatus] = useState<string | null>(choices[0]?.key ?? null);
  const [junkReason, setJunkReason] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const isJunk = stages.find((s) => s.key === status)?.kind === 'junk';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!status) return;
    change.mutate({ status, ...(isJunk && junkReason ? { junkReason } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select label={t('status.to')} value={status} allowDeselect={false} onChange={setStatus} data={choices.map((s) => ({ value: s.key, label: stageLabel(t, s.key, s.label) }))} error={fieldError(change.error, 'status')} />
        {isJunk && (
          <Select
            label={t('status.junkReason')}
            required
            value={junkReason}
            onChange={setJunkReason}
            data={(reasons.data ?? []).filter((r) => r.active).map((r) => ({ value: r.key, label: reasonLabel(t, 'junk', r.key, r.label) }))}
            error={fieldError(change.error, 'junkReason')}
          />
        )}
        <Textarea label={t('status.comment')} autosize minRows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        <FormError error={change.error} fields={['status', 'junkReason']} />
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending} disabled={!status || (isJunk && !junkReason)} color={isJunk ? 'red' : 'blue'}>{t('status.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
