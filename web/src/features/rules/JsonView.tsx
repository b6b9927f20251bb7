import { Alert, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { JsonParse } from './rule-model';

interface Props {
  /** What the text area shows: the author's own text while they type, else the definition formatted. */
  text: string;
  /** The text read as JSON; a syntax error keeps Save and Publish waiting. */
  parsed: JsonParse;
  readOnly: boolean;
  onText(next: string): void;
}

/**
 * The rule set as the API takes it, for those who prefer text. Each readable edit goes straight
 * to the definition the builder edits; the editor keeps the text (also while it does not parse),
 * so switching tabs loses nothing.
 */
export function JsonView({ text, parsed, readOnly, onText }: Props) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">{t('rules.json.hint')}</Text>
      {!parsed.ok && (
        <Alert color="red" role="alert">
          {parsed.line === null ? t('rules.json.invalidNoLine', { message: parsed.message }) : t('rules.json.invalid', { line: parsed.line, message: parsed.message })}
        </Alert>
      )}
      <Textarea
        aria-label="JSON"
        readOnly={readOnly}
        autosize
        minRows={16}
        maxRows={40}
        spellCheck={false}
        styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 } }}
        value={text}
        onChange={(e) => onText(e.currentTarget.value)}
      />
    </Stack>
  );
}
