import { Alert, Button, Group, Modal, Radio, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '@/ui/FormError';
import { useCompanySearch, useContactSearch, useMerge, type ClientKind } from './clients-api';

/** Finds the duplicate of this record and merges it in: this record stays, the duplicate's links move here. */
export function MergeDialog({ kind, id, name, opened, onClose, onMerged }: { kind: ClientKind; id: string; name: string; opened: boolean; onClose: () => void; onMerged: (leads: number) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q, 300);
  const companies = useCompanySearch(search, opened && kind === 'company');
  const contacts = useContactSearch(search, opened && kind === 'contact');
  const [chosen, setChosen] = useState<string | null>(null);
  const merge = useMerge(kind);
  const candidates =
    kind === 'company'
      ? (companies.data ?? []).filter((c) => c.id !== id).map((c) => ({ id: c.id, label: c.name, hint: [c.taxId, c.domain, c.owner?.name].filter(Boolean).join(' · ') }))
      : (contacts.data ?? []).filter((c) => c.id !== id).map((c) => ({ id: c.id, label: c.name ?? c.emails[0] ?? c.phones[0] ?? c.id, hint: [c.company?.name, ...c.phones, ...c.emails, c.owner?.name].filter(Boolean).join(' · ') }));
  const confirm = () => chosen && merge.mutate({ id, duplicateId: chosen }, { onSuccess: (moved) => onMerged(moved.leads) });
  return (
    <Modal opened={opened} onClose={onClose} size="lg" centered title={kind === 'company' ? t('clients.merge.titleCompany', { name }) : t('clients.merge.titleContact', { name })}>
      <Stack>
        <Alert color="blue" variant="light">{t('clients.merge.explain')}</Alert>
        <TextInput label={t('clients.merge.find')} placeholder={t('clients.merge.findHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="merge-search" data-autofocus />
        <Radio.Group value={chosen} onChange={setChosen} label={t('clients.merge.choose')}>
          <ScrollArea.Autosize mah={260}>
            <Stack gap="xs" mt="xs">
              {candidates.map((c) => (
                <Radio key={c.id} value={c.id} label={<Text size="sm" fw={500}>{c.label}</Text>} description={c.hint || undefined} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Radio.Group>
        <FormError error={merge.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('clients.form.cancel')}</Button>
          <Button color="orange" onClick={confirm} disabled={!chosen} loading={merge.isPending}>{t('clients.merge.confirm')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
