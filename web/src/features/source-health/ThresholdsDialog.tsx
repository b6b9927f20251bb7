import { Button, Checkbox, Group, Modal, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { fieldError, FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useSaveSourceHealthSettings, useSourceHealthSettings, type SourceHealthSettings } from './source-health-api';
import { formOf, settingsOf, THRESHOLD_FIELDS, type ThresholdsForm } from './thresholds-form';

/** The alert thresholds: the defaults and, per known source, what differs from them. */
export function ThresholdsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const settings = useSourceHealthSettings();
  return (
    <Modal opened onClose={onClose} title={t('sourceHealth.thresholds.title')} size={1000}>
      {settings.isPending ? <PageLoader /> : settings.isError ? <ErrorState error={settings.error} /> : <ThresholdsEditor saved={settings.data} onClose={onClose} />}
    </Modal>
  );
}

function ThresholdsEditor({ saved, onClose }: { saved: SourceHealthSettings; onClose: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<ThresholdsForm>(() => formOf(saved));
  const save = useSaveSourceHealthSettings();
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(saved));
  const error = save.error;
  const setGeneral = (key: keyof ThresholdsForm['general'], value: string | number) => setForm({ ...form, general: { ...form.general, [key]: value } });
  const setDefault = (key: keyof ThresholdsForm['defaults'], value: number | string | boolean) => setForm({ ...form, defaults: { ...form.defaults, [key]: value } });
  const setSource = (source: string, key: string, value: number | string) => setForm({ ...form, sources: { ...form.sources, [source]: { ...form.sources[source], [key]: value } } });
  const submit = () =>
    save.mutate(settingsOf(form), {
      onSuccess: () => {
        toasts.show({ color: 'green', message: t('sourceHealth.thresholds.saved') });
        onClose();
      },
    });
  const number = (value: number | string) => (typeof value === 'number' ? value : value === '' ? '' : Number(value));

  return (
    <Stack gap="md">
      <UnsavedChangesGuard when={dirty} />
      <Text size="sm" c="dimmed">{t('sourceHealth.thresholds.explain')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('sourceHealth.thresholds.timeZone')} value={form.general.timeZone} onChange={(e) => setGeneral('timeZone', e.currentTarget.value)} error={fieldError(error, 'timeZone')} />
        <NumberInput label={t('sourceHealth.thresholds.lookbackWeeks')} min={1} max={26} value={form.general.lookbackWeeks} onChange={(v) => setGeneral('lookbackWeeks', v)} error={fieldError(error, 'lookbackWeeks')} />
        <NumberInput label={t('sourceHealth.thresholds.junkWindowHours')} min={1} value={form.general.junkWindowHours} onChange={(v) => setGeneral('junkWindowHours', v)} error={fieldError(error, 'junkWindowHours')} />
        <NumberInput label={t('sourceHealth.thresholds.minHistoryDays')} min={0} value={form.general.minHistoryDays} onChange={(v) => setGeneral('minHistoryDays', v)} error={fieldError(error, 'minHistoryDays')} />
        <NumberInput label={t('sourceHealth.thresholds.maxProbability')} min={0.0001} max={1} step={0.01} decimalScale={4} value={form.defaults.maxProbability} onChange={(v) => setDefault('maxProbability', v)} error={fieldError(error, 'defaults.maxProbability')} />
      </SimpleGrid>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={4} data-testid="source-health-thresholds">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sourceHealth.column.source')}</Table.Th>
                <Table.Th>{t('sourceHealth.thresholds.alerts')}</Table.Th>
                {THRESHOLD_FIELDS.map((f) => <Table.Th key={f}>{t(`sourceHealth.thresholds.${f}`)}</Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td><Text size="sm" fw={600}>{t('sourceHealth.thresholds.defaults')}</Text></Table.Td>
                <Table.Td><Checkbox aria-label={`${t('sourceHealth.thresholds.defaults')}: ${t('sourceHealth.thresholds.alerts')}`} checked={form.defaults.alerts} onChange={(e) => setDefault('alerts', e.currentTarget.checked)} /></Table.Td>
                {THRESHOLD_FIELDS.map((f) => (
                  <Table.Td key={f}>
                    <NumberInput size="xs" w={96} aria-label={`${t('sourceHealth.thresholds.defaults')}: ${t(`sourceHealth.thresholds.${f}`)}`} value={form.defaults[f]} onChange={(v) => setDefault(f, number(v))} error={fieldError(error, `defaults.${f}`)} />
                  </Table.Td>
                ))}
              </Table.Tr>
              {Object.keys(form.sources).map((source) => {
                const own = form.sources[source] ?? {};
                return (
                  <Table.Tr key={source}>
                    <Table.Td><Text size="sm">{source}</Text></Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        w={150}
                        aria-label={`${source}: ${t('sourceHealth.thresholds.alerts')}`}
                        data={[
                          { value: '', label: t('sourceHealth.thresholds.inherit') },
                          { value: 'on', label: t('sourceHealth.thresholds.alertsOn') },
                          { value: 'off', label: t('sourceHealth.thresholds.alertsOff') },
                        ]}
                        value={own.alerts ?? ''}
                        onChange={(v) => setSource(source, 'alerts', v ?? '')}
                        allowDeselect={false}
                      />
                    </Table.Td>
                    {THRESHOLD_FIELDS.map((f) => (
                      <Table.Td key={f}>
                        <NumberInput
                          size="xs"
                          w={96}
                          aria-label={`${source}: ${t(`sourceHealth.thresholds.${f}`)}`}
                          placeholder={String(form.defaults[f])}
                          value={own[f] ?? ''}
                          onChange={(v) => setSource(source, f, number(v))}
                          error={fieldError(error, `sources.${source}.${f}`)}
                        />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <FormError error={error} fields={['timeZone', 'lookbackWeeks', 'junkWindowHours', 'minHistoryDays', 'defaults.maxProbability', ...THRESHOLD_FIELDS.map((f) => `defaults.${f}`), ...Object.keys(form.sources).flatMap((s) => THRESHOLD_FIELDS.map((f) => `sources.${s}.${f}`))]} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>{t('sourceHealth.thresholds.cancel')}</Button>
        <Button onClick={submit} loading={save.isPending} disabled={!dirty}>{t('sourceHealth.thresholds.save')}</Button>
      </Group>
    </Stack>
  );
}
