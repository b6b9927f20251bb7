import { Button, Group, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useManagers } from '@/features/leads/leads-api';
import { fieldError, FormError } from '@/ui/FormError';
import { clientFieldError } from './client-errors';
import { useChangeContact, useCompanySearch, useCreateContact, type Contact } from './clients-api';

interface Draft {
  name: string;
  companyId: string | null;
  phones: string[];
  emails: string[];
  position: string;
  ownerId: string | null;
  note: string;
}

const FIELDS = ['name', 'companyId', 'phones', 'emails', 'position', 'ownerId', 'note'];

/** A person of the client base: name, company, phones and e-mails (each phone or e-mail belongs to one contact). */
export function ContactForm({ contact, companyId, onSaved, onCancel, onDirtyChange }: { contact: Contact | null; companyId?: string; onSaved: (c: Contact) => void; onCancel: () => void; onDirtyChange: (dirty: boolean) => void }) {
  const { t } = useTranslation();
  const initial = useMemo<Draft>(
    () => ({ name: contact?.name ?? '', companyId: contact?.companyId ?? companyId ?? null, phones: contact?.phones ?? [], emails: contact?.emails ?? [], position: contact?.position ?? '', ownerId: contact?.ownerId ?? null, note: contact?.note ?? '' }),
    [contact, companyId],
  );
  const [draft, setDraft] = useState(initial);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  const managers = useManagers();
  const [companyQuery, setCompanyQuery] = useState('');
  const companies = useCompanySearch(companyQuery);
  const create = useCreateContact();
  const change = useChangeContact();
  const error = contact ? change.error : create.error;
  const text = (v: string) => (v.trim() === '' ? null : v.trim());
  const companyOptions = useMemo(() => {
    const options = (companies.data ?? []).map((c) => ({ value: c.id, label: c.name }));
    if (contact?.company && !options.some((o) => o.value === contact.company?.id)) options.unshift({ value: contact.company.id, label: contact.company.name });
    return options;
  }, [companies.data, contact]);
  const listError = (path: 'phones' | 'emails', values: string[]) => clientFieldError(t, error, path, values.length);

  const save = () => {
    const body = { name: text(draft.name), companyId: draft.companyId, phones: draft.phones, emails: draft.emails, position: text(draft.position), note: text(draft.note) };
    if (contact) change.mutate({ id: contact.id, body }, { onSuccess: onSaved });
    else create.mutate({ ...body, ownerId: draft.ownerId }, { onSuccess: onSaved });
  };

  return (
    <Stack>
      <TextInput label={t('clients.fields.personName')} value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={clientFieldError(t, error, 'name')} data-autofocus />
      <Select
        label={t('clients.fields.company')}
        data={companyOptions}
        value={draft.companyId}
        onChange={(v) => set('companyId', v)}
        searchable
        clearable
        searchValue={companyQuery}
        onSearchChange={setCompanyQuery}
        filter={({ options }) => options}
        error={clientFieldError(t, error, 'companyId')}
      />
      <TagsInput label={t('clients.fields.phones')} description={t('clients.fields.phonesHint')} value={draft.phones} onChange={(v) => set('phones', v)} splitChars={[',', ';']} error={listError('phones', draft.phones)} />
      <TagsInput label={t('clients.fields.emails')} description={t('clients.fields.phonesHint')} value={draft.emails} onChange={(v) => set('emails', v)} splitChars={[',', ';', ' ']} error={listError('emails', draft.emails)} />
      <TextInput label={t('clients.fields.position')} value={draft.position} onChange={(e) => set('position', e.currentTarget.value)} error={fieldError(error, 'position')} />
      {!contact && (
        <Select label={t('clients.fields.owner')} data={(managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))} value={draft.ownerId} onChange={(v) => set('ownerId', v)} searchable clearable error={fieldError(error, 'ownerId')} />
      )}
      <Textarea label={t('clients.fields.note')} autosize minRows={2} value={draft.note} onChange={(e) => set('note', e.currentTarget.value)} error={fieldError(error, 'note')} />
      <FormError error={error} fields={[...FIELDS, ...draft.phones.map((_, i) => `phones[${i}]`), ...draft.emails.map((_, i) => `emails[${i}]`)]} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>{t('clients.form.cancel')}</Button>
        <Button onClick={save} loading={create.isPending || change.isPending}>{t('clients.form.save')}</Button>
      </Group>
    </Stack>
  );
}
