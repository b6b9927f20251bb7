import { Button, Group, Select, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTIVITY_OUTCOMES, isRealContact, type ActivityKind } from '@core/lifecycle/activities.js';
import { fieldError, FormError } from '@/ui/FormError';
import { useLogActivity } from '../leads-api';

/** Log a call, e-mail, meeting or note with its outcome; a real contact stops the first-contact clock. */
export function ActivityForm({ leadId, onDone }: { leadId: string; onDone(result: { firstContact: boolean }): void }) {
  const { t } = useTranslation();
  const log = useLogActivity(leadId);
  const [kind, setKind] = useState<ActivityKind>('call');
  const [outcome, setOutcome] = useState<string>('reached');
  const [note, setNote] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    log.mutate(
      { kind, outcome, ...(note.trim() ? { note: note.trim() } : {}) },
      { onSuccess: (answer) => onDone({ firstContact: Boolean((answer as { firstContact?: boolean }).firstContact) }) },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label={t('activity.kind')}
          value={kind}
          allowDeselect={false}
          onChange={(v) => {
            const next = (v ?? 'call') as ActivityKind;
            setKind(next);
            setOutcome(ACTIVITY_OUTCOMES[next][0]);
          }}
          data={(Object.keys(ACTIVITY_OUTCOMES) as ActivityKind[]).map((k) => ({ value: k, label: t(`activity.kinds.${k}`) }))}
          error={fieldError(log.error, 'kind')}
        />
        <Select
          label={t('activity.outcome')}
          value={outcome}
          allowDeselect={false}
          onChange={(v) => setOutcome(v ?? outcome)}
          data={ACTIVITY_OUTCOMES[kind].map((o) => ({ value: o, label: t(`activity.outcomes.${o}`) }))}
          description={isRealContact(kind, outcome) ? t('activity.stopsClock') : t('activity.attempt')}
          error={fieldError(log.error, 'outcome')}
        />
        <Textarea label={t('activity.note')} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={fieldError(log.error, 'note')} />
        <FormError error={log.error} fields={['kind', 'outcome', 'note']} />
        <Group justify="flex-end">
          <Button type="submit" loading={log.isPending}>{t('activity.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
