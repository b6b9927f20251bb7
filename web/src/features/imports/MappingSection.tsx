import { Alert, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { useImportPresets, useSavePreset, type ColumnMapping, type ImportJob } from './imports-api';

const SKIP = '';
const CUSTOM = '__custom';

/** Which lead field each column of the file feeds: suggested by the server, adjusted here, saved as a preset to reuse. */
export function MappingSection({ job, draft, onChange, locked, error }: { job: ImportJob; draft: ColumnMapping; onChange: (m: ColumnMapping) => void; locked: boolean; error: unknown }) {
  const { t } = useTranslation();
  const presets = useImportPresets();
  const savePreset = useSavePreset();
  const [presetName, setPresetName] = useState('');
  const companies = job.kind === 'companies';
  const fieldLabel = (f: string) => (companies ? t(`imports.companyFields.${f}`, { defaultValue: f }) : t(`imports.fields.${f}`, { defaultValue: f }));
  // A company has no custom fields: a column is one of its fields or left out.
  const options = [{ value: SKIP, label: t('imports.mapping.skip') }, ...job.fields.map((f) => ({ value: f, label: fieldLabel(f) })), ...(companies ? [] : [{ value: CUSTOM, label: t('imports.mapping.custom') }])];
  const set = (column: string, field: string | null) => onChange({ ...draft, [column]: field });

  const applyPreset = (id: string | null) => {
    const preset = presets.data?.find((p) => p.id === id);
    if (!preset) return;
    const next = { ...draft };
    for (const column of job.header) if (column in preset.mapping) next[column] = preset.mapping[column] ?? null;
    onChange(next);
    notifications.show({ message: t('imports.mapping.presetApplied') });
  };
  const saveAsPreset = () =>
    savePreset.mutate({ name: presetName.trim(), mapping: draft }, { onSuccess: (p) => notifications.show({ color: 'teal', message: t('imports.mapping.presetSaved', { name: p.name }) }) });

  return (
    <Card withBorder>
      <Stack gap="sm">
        <div>
          <Title order={4}>{t('imports.mapping.title')}</Title>
          <Text size="sm" c="dimmed">{locked ? t('imports.mapping.locked') : t('imports.mapping.hint')}</Text>
        </div>
        {!locked && (presets.data?.length ?? 0) > 0 && (
          <Select label={t('imports.mapping.preset')} placeholder={t('imports.mapping.presetPlaceholder')} data={(presets.data ?? []).map((p) => ({ value: p.id, label: p.name }))} value={null} onChange={applyPreset} w={320} />
        )}
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="40%">{t('imports.mapping.column')}</Table.Th>
              <Table.Th>{t('imports.mapping.field')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {job.header.map((column) => {
              const field = draft[column] ?? null;
              const custom = field?.startsWith('custom.') ?? false;
              const rowError = fieldError(error, `mapping.${column}`);
              return (
                <Table.Tr key={column} data-testid="import-mapping-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>{column}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" align="flex-start">
                      <Select
                        aria-label={t('imports.mapping.field') + ': ' + column}
                        data={options}
                        value={custom ? CUSTOM : (field ?? SKIP)}
                        onChange={(v) => set(column, v === CUSTOM ? `custom.${column.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'field'}` : v ? v : null)}
                        allowDeselect={false}
                        searchable
                        disabled={locked}
                        error={rowError}
                        w={260}
                      />
                      {custom && (
                        <TextInput
                          aria-label={t('imports.mapping.customName')}
                          leftSection={<Text size="xs" c="dimmed">custom.</Text>}
                          leftSectionWidth={60}
                          value={(field ?? '').slice('custom.'.length)}
                          onChange={(e) => set(column, `custom.${e.currentTarget.value}`)}
                          disabled={locked}
                          w={220}
                        />
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {!locked && (
          <Group align="flex-end">
            <TextInput label={t('imports.mapping.presetName')} placeholder={t('imports.mapping.presetNamePlaceholder')} value={presetName} onChange={(e) => setPresetName(e.currentTarget.value)} error={fieldError(savePreset.error, 'name')} w={320} />
            <Button variant="light" onClick={saveAsPreset} disabled={presetName.trim() === ''} loading={savePreset.isPending}>{t('imports.mapping.presetSave')}</Button>
          </Group>
        )}
        {savePreset.error ? <FormError error={savePreset.error} fields={['name']} /> : null}
        {error && !job.header.some((c) => fieldError(error, `mapping.${c}`)) ? <FormError error={error} /> : null}
        {locked && job.status === 'uploaded' ? <Alert color="gray">{t('imports.mapping.locked')}</Alert> : null}
      </Stack>
    </Card>
  );
}
