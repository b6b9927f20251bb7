import { Button, Group, NumberInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@/api/types';
import { fieldError, FormError } from '@/ui/FormError';
import { useConvertLead } from '../leads-api';

/** Convert into contact + company + deal; the owner becomes the deal's originator. */
export function ConvertForm({ lead, onDone }: { lead: Lead; onDone(): void }) {
  const { t } = useTranslation();
  const convert = useConvertLead(lead.id);
  const [title, setTitle] = useState(lead.companyName ?? lead.name ?? '');
  const [amount, setAmount] = useState<number | string>(lead.dealValue ?? '');
  const [contactName, setContactName] = useState(lead.name ?? '');
  const [companyName, setCompanyName] = useState(lead.companyName ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    convert.mutate(
      {
        deal: { title: title.trim(), ...(typeof amount === 'number' ? { amount, currency: 'RUB' } : {}) },
        ...(contactName.trim() ? { contact: { name: contactName.trim() } } : {}),
        ...(companyName.trim() ? { company: { name: companyName.trim() } } : {}),
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t('convert.dealTitle')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(convert.error, 'deal.title')} />
        <NumberInput label={t('convert.amount')} min={0} thousandSeparator=" " value={amount} onChange={setAmount} error={fieldError(convert.error, 'deal.amount')} />
        <TextInput label={t('convert.contact')} value={contactName} onChange={(e) => setContactName(e.currentTarget.value)} error={fieldError(convert.error, 'contact.name')} />
        <TextInput label={t('convert.company')} value={companyName} onChange={(e) => setCompanyName(e.currentTarget.value)} error={fieldError(convert.error, 'company.name')} />
        <FormError error={convert.error} fields={['deal', 'contact', 'company']} />
        <Group justify="flex-end">
          <Button type="submit" color="teal" loading={convert.isPending}>{t('convert.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
