import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { useCreateTask } from '../leads-api';

/** Tomorrow at 10:00 local time, as a datetime-local value: the usual next call. */
function defaultDue(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(10, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function TaskForm({ leadId, onDone }: { leadId: string; onDone(): void }) {
  const { t } = useTranslation();
  const create = useCreateTask(leadId);
  const [title, setTitle] = useState(t('task.defaultTitle'));
  const [due, setDue] = useState(defaultDue);
  const [offer, setOffer] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ title: title.trim(), dueAt: new Date(due).toISOString(), ...(offer.trim() ? { offer: offer.trim() } : {}) }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t('task.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(create.error, 'title')} />
        <TextInput label={t('task.due')} type="datetime-local" required value={due} onChange={(e) => setDue(e.currentTarget.value)} error={fieldError(create.error, 'dueAt')} />
        <TextInput label={t('task.offer')} value={offer} onChange={(e) => setOffer(e.currentTarget.value)} error={fieldError(create.error, 'offer')} />
        <FormError error={create.error} fields={['title', 'dueAt', 'offer']} />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>{t('task.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
