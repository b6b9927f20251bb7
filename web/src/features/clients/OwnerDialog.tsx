import { Button, Checkbox, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useManagers } from '@/features/leads/leads-api';
import { fieldError, FormError } from '@/ui/FormError';
import { useChangeOwner, type ClientKind } from './clients-api';

const NOBODY = '__nobody__';

/** Hands a client to another manager; the reason goes into its owner history. */
export function OwnerDialog({ kind, id, ownerId, opened, onClose }: { kind: ClientKind; id: string; ownerId: string | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const managers = useManagers();
  const [owner, setOwner] = useState<string | null>(ownerId ?? NOBODY);
  const [reason, setReason] = useState('');
  const [withContacts, setWithContacts] = useState(true);
  const change = useChangeOwner(kind);
  const options = [{ value: NOBODY, label: t('clients.ownerDialog.nobody') }, ...(managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))];
  const save = () =>
    change.mutate(
      { id, body: { ownerId: owner === NOBODY || owner === null ? null : owner, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(kind === 'company' ? { withContacts } : {}) } },
      { onSuccess: onClose },
    );
  return (
    <Modal opened={opened} onClose={onClose} title={t('clients.ownerDialog.title')} centered>
      <Stack>
        <Select label={t('clients.ownerDialog.owner')} data={options} value={owner} onChange={setOwner} searchable error={fieldError(change.error, 'ownerId')} data-testid="owner-select" />
        <TextInput label={t('clients.ownerDialog.reason')} description={t('clients.ownerDialog.reasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        {kind === 'company' && <Checkbox label={t('clients.ownerDialog.withContacts')} checked={withContacts} onChange={(e) => setWithContacts(e.currentTarget.checked)} />}
        <FormError error={change.error} fields={['ownerId']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('clients.form.cancel')}</Button>
          <Button onClick={save} loading={change.isPending} disabled={(owner === NOBODY ? null : owner) === ownerId}>{t('clients.ownerDialog.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
