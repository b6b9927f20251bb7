import { Alert, Text } from '@mantine/core';
import i18n, { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@/api/client';
import { describeError } from './ErrorState';
import { fieldText, hasFieldText, type FieldDetail } from './field-messages';

/**
 * The server's message for a failed change. Messages that name a field are shown next to that
 * field by the form (ApiError.fieldMessage); this shows the rest.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && fields.some((f) => error.fieldMessage(f))) return null;
  const described = describeError(t, error);
  const { headline } = described;
  // A detail with a text of its own reads in the reader's language (naming the field when the form shows no such field).
  const first = error instanceof ApiError ? error.details[0] : undefined;
  const detail = first && hasFieldText(first) ? detailLine(t, first, error instanceof ApiError ? error.message : '') : described.detail;
  return (
    <Alert color="red" role="alert" py="xs">
      <Text size="sm" fw={500}>{headline}</Text>
      {detail && <Text size="xs">{detail}</Text>}
    </Alert>
  );
}

function detailLine(t: TFunction, detail: FieldDetail, fallback: string): string {
  const text = fieldText(t, detail, fallback);
  return detail.path && detail.path !== '(body)' && VALIDATOR_CODES.has(detail.code ?? '') ? `${detail.path}: ${text}` : text;
}

/** The schema validator's codes say what is wrong but not where: the line names the field. */
const VALIDATOR_CODES = new Set(['required', 'invalid_type', 'invalid_value', 'invalid_union', 'invalid_format', 'not_multiple_of', 'unrecognized_keys', 'unknown_key', 'too_small', 'too_big']);

/** The error of one field, in the reader's language by the detail's code (the server's own words for codes without a text). */
export function fieldError(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const detail = error.fieldDetail(path);
  return detail ? fieldText(i18n.t, detail, error.message) : undefined;
}
