import { Button, Group, SegmentedControl, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { useAddManagerAbsence, type AbsenceKind } from './people-api';

export const ABSENCE_COLOR: Record<AbsenceKind, string> = { vacation: 'teal', sick: 'red', other: 'gray' };

/** Adds a vacation, sick leave or other absence: whole local dates, inclusive. */
export function AbsenceForm({ managers, managerId, from: initialFrom, onDone }: { managers: Array<{ id: string; name: string }>; managerId: string | null; from?: string; onDone(): void }) {
  const { t } = useTranslation();
  const add = useAddManagerAbsence();
  const [who, setWho] = useState<string | null>(managerId);
  const [kind, setKind] = useState<AbsenceKind>('vacation');
  const [from, setFrom] = useState(initialFrom ?? '');
  const [to, setTo] = useState(initialFrom ?? '');
  const [comment, setComment] = useState('');
  return (
    <Stack gap="sm" data-testid="absence-form">
      {managers.length > 1 && <Select label={t('people.absences.manager')} searchable value={who} onChange={setWho} data={managers.map((m) => ({ value: m.id, label: m.name }))} />}
      <SegmentedControl
        value={kind}
        onChange={(v) => setKind(v as AbsenceKind)}
        data={(['vacation', 'sick', 'other'] as const).map((k) => ({ value: k, label: t(`people.absences.kind.${k}`) }))}
      />
      <Group grow>
        <TextInput type="date" label={t('managerSettings.absenceFrom')} value={from} onChange={(e) => { const v = e.currentTarget.value; setFrom(v); if (!to || to < v) setTo(v); }} error={fieldError(add.error, 'from')} />
        <TextInput type="date" label={t('managerSettings.absenceTo')} value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(add.error, 'to')} />
      </Group>
      <TextInput label={t('people.absences.comment')} placeholder={t('people.absences.commentHint')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} error={fieldError(add.error, 'reason')} />
      <FormError error={add.error} fields={['from', 'to', 'reason']} />
      <Group justify="flex-end">
        <Button
          disabled={!who || !from || !to}
          loading={add.isPending}
          onClick={() => who && add.mutate({ managerId: who, kind, from, to, ...(comment.trim() ? { reason: comment.trim() } : {}) }, { onSuccess: onDone })}
        >
          {t('people.absences.add')}
        </Button>
      </Group>
    </Stack>
  );
}
