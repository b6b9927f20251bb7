import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

type Props = {
  /** Where «← Все клиенты» leads (the companies or the contacts tab). */
  backTo: string;
  title: string;
  titleTestId: string;
  /** The line under the name: the holding of a company, the company and position of a contact. */
  subtitle?: ReactNode;
  canEdit: boolean;
  onEdit: () => void;
  onMerge: () => void;
  /** Leads moved by the merge just done (shown until closed), or null. */
  merged: number | null;
  onMergedClose: () => void;
};

/** The top of a company or contact card: the way back, the name, «Изменить» / «Объединить с дублем» and the merge result. */
export function ClientHeader({ backTo, title, titleTestId, subtitle, canEdit, onEdit, onMerge, merged, onMergedClose }: Props) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Anchor component={Link} to={backTo} size="sm">← {t('clients.card.back')}</Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} data-testid={titleTestId}>{title}</Title>
          {subtitle && <Text size="sm" c="dimmed">{subtitle}</Text>}
        </div>
        {canEdit && (
          <Group>
            <Button variant="default" onClick={onEdit}>{t('clients.card.edit')}</Button>
            <Button variant="light" color="orange" onClick={onMerge}>{t('clients.card.merge')}</Button>
          </Group>
        )}
      </Group>
      {merged !== null && <Alert color="green" withCloseButton onClose={onMergedClose}>{t('clients.merge.done', { count: merged })}</Alert>}
    </Stack>
  );
}

/** One labelled value of a card's «Реквизиты»; an empty one says «не указано». */
export function ClientDetail({ label, value }: { label: string; value: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value ?? <Text span c="dimmed" size="sm">{t('clients.card.notSet')}</Text>}</Text>
    </div>
  );
}
