import { Alert, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDefinitionJson, parseDefinitionJson } from './rule-model';

/**
 * The rule set as the API takes it, for those who prefer text. Every readable edit goes
 * straight to the same definition the builder edits; a change made in the builder rewrites
 * the text, unless the text already says the same thing.
 */
export function JsonView({ definition, readOnly, onChange }: { definition: unknown; readOnly: boolean; onChange(next: unknown): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => formatDefinitionJson(definition));
  const lastSent = useRef<unknown>(definition);
  useEffect(() => {
    if (definition !== lastSent.current) {
      lastSent.current = definition;
      setText(formatDefinitionJson(definition));
    }
  }, [definition]);
  const parsed = parseDefinitionJson(text);
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
        onChange={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          const result = parseDefinitionJson(next);
          if (result.ok) {
            lastSent.current = result.definition;
            onChange(result.definition);
          }
        }}
      />
    </Stack>
  );
}
