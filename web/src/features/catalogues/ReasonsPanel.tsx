import { Alert, Button, Group, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { fieldError, FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { keyFromLabel } from './PipelinesPanel';
import { useChangeReason, useCreateReason, useReasonCatalogue, type Reason } from './catalogues-api';

/** A label edited in place, saved on Enter or leaving the field. */
function LabelCell({ reason }: { reason: Reason }) {
  const { t } = useTranslation();
  const change = useChangeReason();
  const [label, setLabel] = useState(reason.label);
  const commit = () => {
    if (label.trim() && label.trim() !== reason.label) change.mutate({ id: reason.id, label: label.trim() });
  };
  return (
    <TextInput
      size="xs"
      aria-label={t('catalogues.reasons.labelOf', { key: reason.key })}
      value={label}
      onChange={(e) => setLabel(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      error={fieldError(change.error, 'label') ?? (change.error ? (change.error as Error).message : undefined)}
    />
  );
}

/** Junk or transfer reasons: add, relabel, retire or revive; transfer reasons may be approved without the head. */
export function ReasonsPanel({ kind }: { kind: 'junk' | 'transfer' }) {
  const { t } = useTranslation();
  const reasons = useReasonCatalogue(kind);
  const create = useCreateReason();
  const change = useChangeReason();
  const [label, setLabel] = useState('');
  const [typedKey, setTypedKey] = useState<string | null>(null);
  const [autoApprove, setAutoApprove] = useState(false);
  const key = typedKey ?? keyFromLabel(label);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { kind, key, label: label.trim(), ...(kind === 'transfer' ? { autoApprove } : {}) },
      {
        onSuccess: () => {
          setLabel('');
          setTypedKey(null);
          setAutoApprove(false);
        },
      },
    );
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={760}>{t(`catalogues.reasons.hint.${kind}`)}</Text>
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t(`catalogues.reasons.add.${kind}`)}>
        <UnsavedChangesGuard when={label.trim() !== ''} />
        <Title order={5} mb="xs">{t(`catalogues.reasons.add.${kind}`)}</Title>
        <Group align="flex-end" gap="sm">
          <TextInput label={t('catalogues.reasons.label')} description={t('catalogues.reasons.labelHint')} required value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={fieldError(create.error, 'label')} w={320} />
          <TextInput label={t('catalogues.reasons.key')} description={t('catalogues.reasons.keyHint')} required value={key} onChange={(e) => setTypedKey(e.currentTarget.value.trim())} error={fieldError(create.error, 'key')} w={220} />
          {kind === 'transfer' && <Switch mb={8} label={t('catalogues.reasons.autoApprove')} checked={autoApprove} onChange={(e) => setAutoApprove(e.currentTarget.checked)} />}
          <Button type="submit" loading={create.isPending} disabled={!label.trim() || !key}>{t('common.add')}</Button>
        </Group>
        <FormError error={create.error} fields={['label', 'key']} />
      </Paper>
      {reasons.isPending ? (
        <PageLoader />
      ) : reasons.isError ? (
        <ErrorState error={reasons.error} />
      ) : reasons.data.length === 0 ? (
        <Alert color="gray">{t('catalogues.reasons.empty')}</Alert>
      ) : (
        <Table verticalSpacing={6} aria-label={t(`catalogues.tabs.${kind}`)}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('catalogues.reasons.label')}</Table.Th>
              <Table.Th w={200}>{t('catalogues.reasons.key')}</Table.Th>
              {kind === 'transfer' && <Table.Th w={220}>{t('catalogues.reasons.autoApprove')}</Table.Th>}
              <Table.Th w={160}>{t('catalogues.reasons.active')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reasons.data.map((r) => (
              <Table.Tr key={r.id} data-testid="reason-row" style={{ opacity: r.active ? 1 : 0.6 }}>
                <Table.Td>
                  <LabelCell key={r.label} reason={r} />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">{r.key}</Text>
                </Table.Td>
                {kind === 'transfer' && (
                  <Table.Td>
                    <Switch size="sm" aria-label={t('catalogues.reasons.autoApproveOf', { label: r.label })} checked={r.autoApprove} onChange={(e) => change.mutate({ id: r.id, autoApprove: e.currentTarget.checked })} />
                  </Table.Td>
                )}
                <Table.Td>
                  <Switch
                    size="sm"
                    aria-label={t('catalogues.reasons.activeOf', { label: r.label })}
                    label={r.active ? t('catalogues.reasons.inUse') : t('catalogues.reasons.retired')}
                    checked={r.active}
                    onChange={(e) => change.mutate({ id: r.id, active: e.currentTarget.checked })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FormError error={change.error} />
    </Stack>
  );
}
