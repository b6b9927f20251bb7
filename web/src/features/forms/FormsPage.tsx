import { Badge, Button, Drawer, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { ConnectForm } from './ConnectForm';
import { FormSourceEditor } from './FormSourceEditor';
import { FormSourcesTable } from './FormSourcesTable';
import { useFormSources, useQuarantine, type FormSource } from './forms-api';
import { QuarantineSection } from './QuarantineSection';

/** The admin's web forms: set a form up, see how to connect it to Tilda or a site, and work its quarantine. */
export function FormsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'quarantine' ? 'quarantine' : 'forms';
  const forms = useFormSources();
  const waitingItems = useQuarantine('waiting');
  const waiting = useMemo(() => {
    const counts = new Map<string, number>();
    for (const q of waitingItems.data ?? []) if (q.formId !== null) counts.set(q.formId, (counts.get(q.formId) ?? 0) + 1);
    return counts;
  }, [waitingItems.data]);
  const waitingTotal = waitingItems.data?.length ?? 0;

  // The editor: null closed, 'new' a new form, else the form's id.
  const [editing, setEditing] = useState<string | null>(null);
  const [connecting, setConnecting] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);
  const confirm = useDiscardConfirm(dirty);
  const edited = editing && editing !== 'new' ? (forms.data?.find((f) => f.id === editing) ?? null) : null;
  const connected = connecting ? (forms.data?.find((f) => f.id === connecting) ?? null) : null;
  const closeEditor = () => {
    setDirty(false);
    setEditing(null);
  };
  const showTab = (next: string | null) => setParams(next === 'quarantine' ? { tab: 'quarantine' } : {}, { replace: true });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('forms.title')}</Title>
          <Text c="dimmed" size="sm" maw={820}>{t('forms.subtitle')}</Text>
        </div>
        <Button onClick={() => setEditing('new')}>{t('forms.list.add')}</Button>
      </Group>
      <Tabs value={tab} onChange={showTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="forms">{t('forms.tabs.forms')}</Tabs.Tab>
          <Tabs.Tab value="quarantine" rightSection={waitingTotal > 0 ? <Badge size="sm" color="orange" circle={waitingTotal < 10}>{waitingTotal}</Badge> : undefined}>
            {t('forms.tabs.quarantine')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="forms">
          <FormSourcesTable waiting={waiting} onEdit={(f) => setEditing(f.id)} onConnect={(f) => setConnecting(f.id)} onQuarantine={() => showTab('quarantine')} />
        </Tabs.Panel>
        <Tabs.Panel value="quarantine">
          <QuarantineSection forms={forms.data ?? []} />
        </Tabs.Panel>
      </Tabs>

      <Drawer opened={editing !== null} onClose={() => confirm.guard(closeEditor)} position="right" size="xl" title={edited ? t('forms.edit.titleEdit', { name: edited.name }) : t('forms.edit.titleNew')}>
        {editing !== null && (editing === 'new' || edited) && (
          <FormSourceEditor
            key={editing}
            form={edited}
            onDirtyChange={onDirtyChange}
            onCancel={() => confirm.guard(closeEditor)}
            onSaved={(saved: FormSource, created) => {
              closeEditor();
              // A new form is connected next: its address is what the admin came for.
              if (created) setConnecting(saved.id);
            }}
          />
        )}
      </Drawer>
      {confirm.modal}
      <Drawer opened={connected !== null} onClose={() => setConnecting(null)} position="right" size="lg" title={connected ? t('forms.connect.title', { name: connected.name }) : ''}>
        {connected && <ConnectForm form={connected} />}
      </Drawer>
    </Stack>
  );
}
