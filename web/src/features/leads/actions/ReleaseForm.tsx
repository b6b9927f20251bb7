import { Button, Group, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { useReleaseLead } from '../leads-api';

/** Give the lead up to the shared pool, saying why. */
export function ReleaseForm({ leadId, onDone }: { leadId: string; onDone(): void }) {
  const { t } = useTranslation();
  const release = useReleaseLead(leadId);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    release.mutate({ reason: reason.trim() }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Textarea label={t('release.reason')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(release.error, 'reason')} />
        <FormError error={release.error} fields={['reason']} />
        <Group justify="flex-end">
          <Button type="submit" color="orange" loading={release.isPending} disabled={!reason.trim()}>{t('release.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
