import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SessionUser } from '@/api/types';
import { fieldError, FormError } from '@/ui/FormError';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { useManagers } from '../leads-api';
import { useRegisterLead } from '../originator-api';
import { nameableManagers } from './nameable-managers';

import { REGISTERED_SOURCES as SOURCES, type RegisteredSource as Source } from './source-label';

interface Draft {
  name: string;
  phone: string;
  email: string;
  company: string;
  comment: string;
  source: Source;
}
const EMPTY: Draft = { name: '', phone: '', email: '', company: '', comment: '', source: 'own' };

/** «Новый лид» on the leads page: a manager (or a head, for the team) types in a client they found. */
export function NewLeadButton({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [dirty, setDirty] = useState(false);
  const discard = useDiscardConfirm(dirty);
  if (user.role === 'qualifier') return null;
  const close = () => {
    setOpen(false);
    setDirty(false);
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="new-lead">{t('originator.newLead.button')}</Button>
      <Modal opened={open} onClose={() => discard.guard(close)} title={t('originator.newLead.title')} size="lg" centered>
        {open && <NewLeadForm user={user} onDirty={setDirty} onDone={close} />}
      </Modal>
      {discard.modal}
    </>
  );
}

function NewLeadForm({ user, onDirty, onDone }: { user: SessionUser; onDirty(dirty: boolean): void; onDone(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const register = useRegisterLead();
  const names = user.role === 'head' || user.role === 'admin';
  const managers = useManagers();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [originator, setOriginator] = useState<string | null>(user.managerId);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    onDirty(JSON.stringify(next) !== JSON.stringify(EMPTY));
  };
  const hasContact = [draft.name, draft.phone, draft.email, draft.company].some((v) => v.trim() !== '');
  const options = nameableManagers(user, managers.data ?? []).map((m) => ({ value: m.id, label: m.name }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = (v: string) => (v.trim() === '' ? undefined : v.trim());
    register.mutate(
      {
        ...(text(draft.name) ? { name: text(draft.name) } : {}),
        ...(text(draft.phone) ? { phone: text(draft.phone) } : {}),
        ...(text(draft.email) ? { email: text(draft.email) } : {}),
        ...(text(draft.company) ? { companyName: text(draft.company) } : {}),
        ...(text(draft.comment) ? { comment: text(draft.comment) } : {}),
        source: draft.source,
        // A manager registers the lead as theirs without saying so; a head or an admin names the manager.
        ...(names ? { originatorId: originator } : {}),
      },
      {
        onSuccess: (answer) => {
          onDone();
          const ownerId = answer.lead.ownerId;
          const seesIt = user.role !== 'manager' || ownerId === null || ownerId === user.managerId;
          if (!seesIt) {
            toasts.show({ color: 'blue', message: t('originator.newLead.routedAway', { name: answer.owner?.name ?? '' }), autoClose: 8000 });
            return;
          }
          toasts.show({ color: 'teal', message: ownerId === null ? t('originator.newLead.pooled') : t('originator.newLead.created') });
          void navigate(`/leads/${answer.lead.id}`);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} data-testid="new-lead-form">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">{names ? t('originator.newLead.introHead') : t('originator.newLead.intro')}</Text>
        <TextInput label={t('originator.newLead.name')} placeholder={t('originator.newLead.namePlaceholder')} value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={fieldError(register.error, 'name')} data-autofocus />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('originator.newLead.phone')} type="tel" placeholder="+7 916 123-45-67" value={draft.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={fieldError(register.error, 'phone')} />
          <TextInput label={t('originator.newLead.email')} type="email" placeholder="ivan@example.ru" value={draft.email} onChange={(e) => set('email', e.currentTarget.value)} error={fieldError(register.error, 'email')} />
          <TextInput label={t('originator.newLead.company')} placeholder="ООО «Ромашка»" value={draft.company} onChange={(e) => set('company', e.currentTarget.value)} error={fieldError(register.error, 'companyName')} />
          <Select
            label={t('originator.newLead.source')}
            allowDeselect={false}
            value={draft.source}
            onChange={(v) => set('source', (v ?? 'own') as Source)}
            data={SOURCES.map((s) => ({ value: s, label: t(`originator.newLead.sources.${s}`) }))}
            error={fieldError(register.error, 'source')}
          />
        </SimpleGrid>
        {names && (
          <Select
            label={t('originator.newLead.originator')}
            description={t('originator.newLead.originatorHint')}
            searchable
            value={originator ?? ''}
            onChange={(v) => setOriginator(v ? v : null)}
            data={[{ value: '', label: t('originator.newLead.nobody') }, ...options]}
            error={fieldError(register.error, 'originatorId')}
            data-testid="new-lead-originator"
          />
        )}
        <Textarea label={t('originator.newLead.comment')} placeholder={t('originator.newLead.commentPlaceholder')} autosize minRows={2} maxRows={6} value={draft.comment} onChange={(e) => set('comment', e.currentTarget.value)} error={fieldError(register.error, 'comment')} />
        <FormError error={register.error} fields={['name', 'phone', 'email', 'companyName', 'source', 'comment', 'originatorId']} />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">{hasContact ? '' : t('originator.newLead.needContact')}</Text>
          <Button type="submit" loading={register.isPending} disabled={!hasContact}>{t('originator.newLead.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
