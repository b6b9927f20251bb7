import { Button, Group, Select, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';

export interface PersonChange {
  managerId: string | null;
  reason: string;
}

/**
 * Names a manager with a mandatory reason: who brought a lead or deal in (`allowNobody`), or the
 * colleague a deal goes to. The reason goes to the audit log and the lead's history.
 */
export function ChangePersonForm({
  label,
  hint,
  initial,
  options,
  allowNobody,
  submitLabel,
  pending,
  error,
  onSave,
}: {
  label: string;
  hint?: string;
  initial: string | null;
  options: Array<{ value: string; label: string }>;
  allowNobody: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSave(change: PersonChange): void;
}) {
  const { t } = useTranslation();
  const [managerId, setManagerId] = useState<string | null>(initial);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ managerId, reason: reason.trim() });
  };
  const data = allowNobody ? [{ value: '', label: t('originator.change.managerNone') }, ...options] : options;
  return (
    <form onSubmit={submit} data-testid="change-person-form">
      <Stack gap="sm">
        <Select
          label={label}
          description={hint}
          searchable
          allowDeselect={false}
          value={managerId ?? (allowNobody ? '' : null)}
          onChange={(v) => setManagerId(v ? v : null)}
          data={data}
          error={fieldError(error, 'managerId')}
          data-testid="change-person-manager"
          comboboxProps={{ withinPortal: true }}
        />
        <Textarea
          label={t('originator.change.reason')}
          description={t('originator.change.reasonHint')}
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={fieldError(error, 'reason')}
          data-testid="change-person-reason"
        />
        <FormError error={error} fields={['managerId', 'reason']} />
        <Group justify="flex-end">
          <Button type="submit" loading={pending} disabled={!reason.trim() || (!allowNobody && managerId === null) || managerId === initial}>{submitLabel}</Button>
        </Group>
      </Stack>
    </form>
  );
}
