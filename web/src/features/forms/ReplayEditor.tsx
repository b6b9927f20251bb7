import { Alert, Button, Code, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, FormError } from '@/ui/FormError';
import { dealValueOf, REPLAY_FIELDS } from './form-draft';
import { useReplaySubmission, type Quarantined } from './forms-api';
import { issueText, leadFieldLabel } from './issue-text';

type Editable = Record<(typeof REPLAY_FIELDS)[number], string>;

const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function editableOf(input: Record<string, unknown>): Editable {
  return Object.fromEntries(REPLAY_FIELDS.map((f) => [f, asText(input[f])])) as Editable;
}

/** The lead the corrected fields make: the edited ones over what the form sent, empty ones left out. */
function inputOf(original: Record<string, unknown>, edited: Editable): Record<string, unknown> {
  const input: Record<string, unknown> = { ...original };
  for (const f of REPLAY_FIELDS) {
    const value = f === 'dealValue' ? dealValueOf(edited[f]) : edited[f].trim() || undefined;
    if (value === undefined) delete input[f];
    else input[f] = value;
  }
  return input;
}

/** «Исправить и отправить»: the lead a quarantined submission made, as editable fields, replayed through intake. */
export function ReplayEditor({ item, onDone, onCancel, onDirtyChange }: { item: Quarantined; onDone(): void; onCancel(): void; onDirtyChange(dirty: boolean): void }) {
  const { t } = useTranslation();
  const replay = useReplaySubmission();
  const original = editableOf(item.input);
  const [edited, setEdited] = useState<Editable>(original);
  const dirty = REPLAY_FIELDS.some((f) => edited[f] !== original[f]);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  const general = item.issues.filter((i) => !(REPLAY_FIELDS as readonly string[]).includes(i.path));
  const rest = Object.entries(item.input).filter(([k]) => !(REPLAY_FIELDS as readonly string[]).includes(k));

  // A field's stored issue shows until it is edited; then the server's answer speaks.
  const errorOf = (f: (typeof REPLAY_FIELDS)[number]): string | undefined => {
    const server = fieldError(replay.error, `input.${f}`);
    if (server) return server;
    if (replay.error || edited[f] !== original[f]) return undefined;
    const issue = item.issues.find((i) => i.path === f);
    return issue ? issueText(t, issue, item.input) : undefined;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    replay.mutate(
      { id: item.id, input: inputOf(item.input, edited) },
      {
        onSuccess: () => {
          onDirtyChange(false);
          onDone();
        },
      },
    );
  };

  return (
    <Stack component="form" gap="sm" onSubmit={submit} aria-label={t('forms.quarantine.replayTitle')}>
      <Text size="sm" c="dimmed">{t('forms.quarantine.replayHint')}</Text>
      {general.length > 0 && (
        <Alert color="orange" py="xs">
          {general.map((issue, i) => (
            <Text key={i} size="sm">{issueText(t, issue, item.input)}</Text>
          ))}
        </Alert>
      )}
      {REPLAY_FIELDS.map((f) =>
        f === 'comment' ? (
          <Textarea key={f} label={leadFieldLabel(t, f)} autosize minRows={2} maxRows={6} value={edited[f]} onChange={(e) => setEdited({ ...edited, [f]: e.currentTarget.value })} error={errorOf(f)} />
        ) : (
          <TextInput key={f} label={leadFieldLabel(t, f)} value={edited[f]} onChange={(e) => setEdited({ ...edited, [f]: e.currentTarget.value })} error={errorOf(f)} inputMode={f === 'dealValue' ? 'decimal' : undefined} />
        ),
      )}
      {rest.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('forms.quarantine.rest')}</Text>
          <Code block>{rest.map(([k, v]) => `${k}: ${asText(v)}`).join('\n')}</Code>
        </Stack>
      )}
      <FormError error={replay.error} fields={REPLAY_FIELDS.map((f) => `input.${f}`)} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>{t('forms.edit.cancel')}</Button>
        <Button type="submit" loading={replay.isPending}>{t('forms.quarantine.send')}</Button>
      </Group>
    </Stack>
  );
}
