import { Button, Group, NumberInput, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useManagers } from '@/features/leads/leads-api';
import { fieldError, FormError } from '@/ui/FormError';
import { clientFieldError } from './client-errors';
import { useChangeCompany, useCompanySearch, useCreateCompany, type Company } from './clients-api';

interface Draft {
  name: string;
  taxId: string;
  domain: string;
  phones: string[];
  parentId: string | null;
  ownerId: string | null;
  size: number | string;
  industry: string;
  region: string;
  note: string;
}

function draftOf(c: Company | null): Draft {
  return {
    name: c?.name ?? '', taxId: c?.taxId ?? '', domain: c?.domain ?? '', phones: c?.phones ?? [], parentId: c?.parentId ?? null, ownerId: c?.ownerId ?? null,
    size: c?.size ?? '', industry: c?.industry ?? '', region: c?.region ?? '', note: c?.note ?? '',
  };
}

const FIELDS = ['name', 'taxId', 'domain', 'phones', 'parentId', 'ownerId', 'size', 'industry', 'region', 'note'];

/** A company's details; a new one also gets its owner here (an existing one changes owner from its card, with a reason). */
export function CompanyForm({ company, onSaved, onCancel, onDirtyChange }: { company: Company | null; onSaved: (c: Company) => void; onCancel: () => void; onDirtyChange: (dirty: boolean) => void }) {
  const { t } = useTranslation();
  const initial = useMemo(() => draftOf(company), [company]);
  const [draft, setDraft] = useState(initial);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  const managers = useManagers();
  const [parentQuery, setParentQuery] = useState('');
  const parents = useCompanySearch(parentQuery);
  const create = useCreateCompany();
  const change = useChangeCompany();
  const error = company ? change.error : create.error;
  const text = (v: string) => (v.trim() === '' ? null : v.trim());

  const parentOptions = useMemo(() => {
    const options = (parents.data ?? []).filter((c) => c.id !== company?.id).map((c) => ({ value: c.id, label: c.name }));
    if (company?.parent && !options.some((o) => o.value === company.parent?.id)) options.unshift({ value: company.parent.id, label: company.parent.name });
    return options;
  }, [parents.data, company]);

  const save = () => {
    const body = {
      name: draft.name.trim(),
      taxId: text(draft.taxId),
      domain: text(draft.domain),
      phones: draft.phones,
      parentId: draft.parentId,
      size: draft.size === '' ? null : Number(draft.size),
      industry: text(draft.industry),
      region: text(draft.region),
      note: text(draft.note),
    };
    if (company) change.mutate({ id: company.id, body }, { onSuccess: onSaved });
    else create.mutate({ ...body, ownerId: draft.ownerId }, { onSuccess: onSaved });
  };

  return (
    <Stack>
      <TextInput label={t('clients.fields.name')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={clientFieldError(t, error, 'name')} data-autofocus />
      <Group grow>
        <TextInput label={t('clients.fields.taxId')} value={draft.taxId} onChange={(e) => set('taxId', e.currentTarget.value)} error={clientFieldError(t, error, 'taxId')} />
        <TextInput label={t('clients.fields.domain')} description={t('clients.fields.domainHint')} value={draft.domain} onChange={(e) => set('domain', e.currentTarget.value)} error={clientFieldError(t, error, 'domain')} />
      </Group>
      <TagsInput label={t('clients.fields.phones')} description={t('clients.fields.phonesHint')} value={draft.phones} onChange={(v) => set('phones', v)} splitChars={[',', ';']} error={clientFieldError(t, error, 'phones', draft.phones.length)} />
      <Select
        label={t('clients.fields.parent')}
        data={parentOptions}
        value={draft.parentId}
        onChange={(v) => set('parentId', v)}
        searchable
        clearable
        searchValue={parentQuery}
        onSearchChange={setParentQuery}
        filter={({ options }) => options}
        error={clientFieldError(t, error, 'parentId')}
      />
      {!company && (
        <Select label={t('clients.fields.owner')} data={(managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))} value={draft.ownerId} onChange={(v) => set('ownerId', v)} searchable clearable error={fieldError(error, 'ownerId')} />
      )}
      <Group grow>
        <TextInput label={t('clients.fields.region')} value={draft.region} onChange={(e) => set('region', e.currentTarget.value)} error={fieldError(error, 'region')} />
        <TextInput label={t('clients.fields.industry')} value={draft.industry} onChange={(e) => set('industry', e.currentTarget.value)} error={fieldError(error, 'industry')} />
        <NumberInput label={t('clients.fields.size')} min={0} value={draft.size} onChange={(v) => set('size', v)} error={fieldError(error, 'size')} />
      </Group>
      <Textarea label={t('clients.fields.note')} autosize minRows={2} value={draft.note} onChange={(e) => set('note', e.currentTarget.value)} error={fieldError(error, 'note')} />
      <FormError error={error} fields={[...FIELDS, ...draft.phones.map((_, i) => `phones[${i}]`)]} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>{t('clients.form.cancel')}</Button>
        <Button onClick={save} loading={create.isPending || change.isPending} disabled={!draft.name.trim()}>{t('clients.form.save')}</Button>
      </Group>
    </Stack>
  );
}
