import { Badge, Button, Checkbox, CloseButton, Divider, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { bodyOf, CUSTOM, draftOf, isDirty, LEAD_FIELDS, newRow, type FormDraft, type MappingRow } from './form-draft';
import { useChangeFormSource, useCreateFormSource, type FormSource } from './forms-api';

/** A site as an origin: «shop.example.ru/page» → «https://shop.example.ru»; * stays. */
function originsOf(tags: string[]): string[] {
  const out = tags.map((tag) => {
    const s = tag.trim();
    if (s === '*' || s === '') return s;
    const withScheme = /^https?:\/\//i.test(s) ? s : `https://${s}`;
    try {
      return new URL(withScheme).origin;
    } catch {
      return s;
    }
  });
  return [...new Set(out.filter((o) => o !== ''))];
}

const FIELDS = ['name', 'source', 'channel', 'campaign', 'fieldMap', 'allowedOrigins', 'thankYouUrl', 'honeypotField', 'minSeconds', 'perIpPerMinute', 'perFormPerMinute', 'captchaSecret', 'keepUnknown', 'active'];

/** Creates a web form or changes one; the server's refusals are shown next to their fields. */
export function FormSourceEditor({ form, onSaved, onCancel, onDirtyChange }: { form: FormSource | null; onSaved(form: FormSource, created: boolean): void; onCancel(): void; onDirtyChange(dirty: boolean): void }) {
  const { t } = useTranslation();
  const create = useCreateFormSource();
  const change = useChangeFormSource();
  const mutation = form ? change : create;
  const [draft, setDraft] = useState<FormDraft>(() => draftOf(form));
  const dirty = isDirty(draft, form);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  const set = <K extends keyof FormDraft>(key: K, value: FormDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setRow = (key: number, patch: Partial<MappingRow>) => setDraft((d) => ({ ...d, mapping: d.mapping.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));
  const error = mutation.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(draft);
    const done = (saved: FormSource) => {
      onDirtyChange(false);
      onSaved(saved, form === null);
    };
    if (form) change.mutate({ id: form.id, body }, { onSuccess: done });
    else create.mutate(body, { onSuccess: done });
  };

  const leadFields = [...LEAD_FIELDS.map((f) => ({ value: f, label: t(`forms.fields.${f}`) })), { value: CUSTOM, label: t('forms.fields.custom') }];

  return (
    <Stack component="form" gap="md" onSubmit={submit} aria-label={form ? t('forms.edit.titleEdit', { name: form.name }) : t('forms.edit.titleNew')}>
      <UnsavedChangesGuard when={dirty} />
      <Title order={5}>{t('forms.edit.main')}</Title>
      <TextInput label={t('forms.edit.name')} placeholder={t('forms.edit.namePlaceholder')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={fieldError(error, 'name')} data-autofocus />
      <Stack gap={4}>
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label={t('forms.edit.source')} value={draft.source} onChange={(e) => set('source', e.currentTarget.value)} error={fieldError(error, 'source')} />
          <TextInput label={t('forms.edit.channel')} value={draft.channel} onChange={(e) => set('channel', e.currentTarget.value)} error={fieldError(error, 'channel')} />
          <TextInput label={t('forms.edit.campaign')} placeholder={t('forms.edit.campaignPlaceholder')} value={draft.campaign} onChange={(e) => set('campaign', e.currentTarget.value)} error={fieldError(error, 'campaign')} />
        </SimpleGrid>
        <Text size="xs" c="dimmed">{t('forms.edit.sourceHint')}</Text>
      </Stack>
      <Switch label={t('forms.edit.active')} checked={draft.active} onChange={(e) => set('active', e.currentTarget.checked)} />

      <Divider />
      <div>
        <Title order={5}>{t('forms.edit.mapping')}</Title>
        <Text size="sm" c="dimmed">{t('forms.edit.mappingHint')}</Text>
      </div>
      {draft.mapping.length > 0 && (
        <Group gap="xs" wrap="nowrap" mb={-8}>
          <Text size="sm" fw={500} w={200}>{t('forms.edit.formField')}</Text>
          <Text w={18} />
          <Text size="sm" fw={500}>{t('forms.edit.leadField')}</Text>
        </Group>
      )}
      {draft.mapping.map((row) => {
        const rowError = fieldError(error, `fieldMap.${row.field.trim()}`) && t('forms.edit.mappingInvalid');
        return (
          <Group key={row.key} align="flex-start" gap="xs" wrap="nowrap" data-testid="form-mapping-row">
            <TextInput aria-label={t('forms.edit.formField')} placeholder={t('forms.edit.formFieldPlaceholder')} value={row.field} onChange={(e) => setRow(row.key, { field: e.currentTarget.value })} w={200} error={rowError} />
            <Text mt={6} c="dimmed" w={18} ta="center">→</Text>
            <Select aria-label={t('forms.edit.leadField')} data={leadFields} value={row.target} onChange={(v) => setRow(row.key, { target: v ?? 'phone' })} allowDeselect={false} searchable w={230} />
            {row.target === CUSTOM && (
              <TextInput aria-label={t('forms.edit.customName')} leftSection={<Text size="xs" c="dimmed">custom.</Text>} leftSectionWidth={60} placeholder={t('forms.edit.customPlaceholder')} value={row.custom} onChange={(e) => setRow(row.key, { custom: e.currentTarget.value })} style={{ flex: 1 }} />
            )}
            {row.target !== CUSTOM && (
              <div style={{ flex: 1 }} />
            )}
            <CloseButton mt={4} aria-label={t('forms.edit.removeRow', { field: row.field })} onClick={() => set('mapping', draft.mapping.filter((r) => r.key !== row.key))} />
          </Group>
        );
      })}
      <Group>
        <Button variant="light" size="xs" onClick={() => set('mapping', [...draft.mapping, newRow()])}>{t('forms.edit.addRow')}</Button>
      </Group>
      <Checkbox label={t('forms.edit.keepUnknown')} checked={draft.keepUnknown} onChange={(e) => set('keepUnknown', e.currentTarget.checked)} />

      <Divider />
      <Title order={5}>{t('forms.edit.sites')}</Title>
      <TagsInput label={t('forms.edit.origins')} description={t('forms.edit.originsHint')} placeholder={t('forms.edit.originsPlaceholder')} value={draft.allowedOrigins} onChange={(v) => set('allowedOrigins', originsOf(v))} error={fieldError(error, 'allowedOrigins') && t('forms.edit.originsInvalid')} splitChars={[',', ' ']} clearable />
      <TextInput label={t('forms.edit.thankYou')} description={t('forms.edit.thankYouHint')} placeholder={t('forms.edit.thankYouPlaceholder')} type="url" value={draft.thankYouUrl} onChange={(e) => set('thankYouUrl', e.currentTarget.value)} error={fieldError(error, 'thankYouUrl')} />

      <Divider />
      <div>
        <Title order={5}>{t('forms.edit.antispam')}</Title>
        <Text size="sm" c="dimmed">{t('forms.edit.antispamHint')}</Text>
      </div>
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label={t('forms.edit.honeypot')} description={t('forms.edit.honeypotHint')} value={draft.honeypotField} onChange={(e) => set('honeypotField', e.currentTarget.value)} error={fieldError(error, 'honeypotField')} />
        <NumberInput label={t('forms.edit.minSeconds')} description={t('forms.edit.minSecondsHint')} min={0} max={600} allowDecimal={false} value={draft.minSeconds} onChange={(v) => set('minSeconds', v)} error={fieldError(error, 'minSeconds')} />
        <NumberInput label={t('forms.edit.perIp')} min={1} allowDecimal={false} thousandSeparator=" " value={draft.perIpPerMinute} onChange={(v) => set('perIpPerMinute', v)} error={fieldError(error, 'perIpPerMinute')} />
        <NumberInput label={t('forms.edit.perForm')} min={1} allowDecimal={false} thousandSeparator=" " value={draft.perFormPerMinute} onChange={(v) => set('perFormPerMinute', v)} error={fieldError(error, 'perFormPerMinute')} />
      </SimpleGrid>
      <Stack gap={4}>
        <Group gap="xs">
          <Text size="sm" fw={500}>{t('forms.edit.captcha')}</Text>
          <Badge variant="light" color={form?.captcha && !draft.captchaRemove ? 'teal' : 'gray'} data-testid="form-captcha-state">
            {form?.captcha && !draft.captchaRemove ? t('forms.edit.captchaSet') : t('forms.edit.captchaNotSet')}
          </Badge>
        </Group>
        <Group align="flex-start" gap="sm">
          <PasswordInput
            aria-label={t('forms.edit.captchaNew')}
            placeholder={t('forms.edit.captchaPlaceholder')}
            description={form?.captcha ? t('forms.edit.captchaKeepHint') : undefined}
            autoComplete="new-password"
            value={draft.captchaSecret}
            onChange={(e) => setDraft((d) => ({ ...d, captchaSecret: e.currentTarget.value, captchaRemove: false }))}
            error={fieldError(error, 'captchaSecret')}
            style={{ flex: 1 }}
          />
          {form?.captcha && !draft.captchaRemove && (
            <Button variant="subtle" color="red" onClick={() => setDraft((d) => ({ ...d, captchaSecret: '', captchaRemove: true }))}>{t('forms.edit.captchaRemove')}</Button>
          )}
        </Group>
      </Stack>

      <FormError error={error} fields={FIELDS} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>{t('forms.edit.cancel')}</Button>
        <Button type="submit" loading={mutation.isPending}>{form ? t('forms.edit.save') : t('forms.edit.create')}</Button>
      </Group>
    </Stack>
  );
}
