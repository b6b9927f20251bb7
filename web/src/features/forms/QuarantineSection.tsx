import { Alert, Anchor, Button, Drawer, Group, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useActors } from '@/features/audit/audit-api';
import { useCrmConnectors } from '@/features/integrations/integrations-api';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { useDiscardSubmission, useQuarantine, type FormSource, type Quarantined, type QuarantineStatus } from './forms-api';
import { issueText } from './issue-text';
import { ReplayEditor } from './ReplayEditor';

const STATUSES: QuarantineStatus[] = ['waiting', 'replayed', 'discarded'];

function Submission({ item, formName, actor, onFix, onDiscard }: { item: Quarantined; formName: string; actor: string; onFix(): void; onDiscard(): void }) {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const fields = Object.entries(item.fields);
  return (
    <Paper withBorder p="md" data-testid="quarantine-item">
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Text fw={500}>{formName}</Text>
          <Text size="xs" c="dimmed">{t('forms.quarantine.received')}: {dateTime(item.receivedAt)}</Text>
        </div>
        {item.status === 'waiting' ? (
          <Group gap="xs">
            <Button size="xs" onClick={onFix}>{t('forms.quarantine.fix')}</Button>
            <Button size="xs" variant="subtle" color="red" onClick={onDiscard}>{t('forms.quarantine.discard')}</Button>
          </Group>
        ) : (
          <Stack gap={2} align="flex-end">
            <Text size="xs" c="dimmed">
              {t(item.status === 'replayed' ? 'forms.quarantine.replayedBy' : 'forms.quarantine.discardedBy', { by: item.resolvedBy?.startsWith('system:spam') ? t('forms.quarantine.spam') : actor, at: dateTime(item.resolvedAt) })}
            </Text>
            {item.leadId && (
              <Anchor component={Link} to={`/leads/${item.leadId}`} size="sm">{t('forms.quarantine.openLead')}</Anchor>
            )}
          </Stack>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('forms.quarantine.sent')}</Text>
          {fields.length === 0 ? (
            <Text size="sm" c="dimmed">{t('forms.quarantine.noFields')}</Text>
          ) : (
            <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs" data-testid="quarantine-fields">
              <Table.Tbody>
                {fields.map(([name, value]) => (
                  <Table.Tr key={name}>
                    <Table.Td w="35%"><Text size="sm" c="dimmed" ff="monospace">{name}</Text></Table.Td>
                    <Table.Td><Text size="sm" style={{ wordBreak: 'break-word' }}>{value}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('forms.quarantine.issues')}</Text>
          {item.issues.map((issue, i) => (
            <Text key={i} size="sm" c={item.status === 'waiting' ? 'red.8' : 'dimmed'} data-testid="quarantine-issue">{issueText(t, issue, item.input)}</Text>
          ))}
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

/** «Карантин»: what intake refused, fixed and replayed or discarded by the admin; the resolved ones under a filter. */
export function QuarantineSection({ forms }: { forms: FormSource[] }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<QuarantineStatus>('waiting');
  const items = useQuarantine(status);
  const discard = useDiscardSubmission();
  const [fixing, setFixing] = useState<Quarantined | null>(null);
  const [discarding, setDiscarding] = useState<Quarantined | null>(null);
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);
  const confirm = useDiscardConfirm(dirty);
  const names = new Map(forms.map((f) => [f.id, f.name]));
  const connectors = useCrmConnectors();
  const sourceName = (item: Quarantined): string => {
    if (item.connectorId === null) return (item.formId !== null ? names.get(item.formId) : undefined) ?? t('forms.quarantine.goneForm');
    const c = connectors.data?.find((x) => x.id === item.connectorId);
    return c ? t('forms.quarantine.fromCrm', { crm: t(`forms.quarantine.crm.${c.kind}`), name: c.name }) : t('forms.quarantine.goneConnector');
  };
  const actors = useActors();
  const close = () => {
    setDirty(false);
    setFixing(null);
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={820}>{t('forms.quarantine.subtitle')}</Text>
      <SegmentedControl
        aria-label={t('forms.quarantine.show')}
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as QuarantineStatus)}
        data={STATUSES.map((s) => ({ value: s, label: t(`forms.quarantine.status.${s}`) }))}
      />
      {items.isPending ? (
        <PageLoader />
      ) : items.isError ? (
        <ErrorState error={items.error} />
      ) : items.data.length === 0 ? (
        <Alert color="gray">{t(`forms.quarantine.empty.${status}`)}</Alert>
      ) : (
        items.data.map((item) => (
          <Submission key={item.id} item={item} formName={sourceName(item)} actor={actors.get(item.resolvedBy ?? '')?.name ?? item.resolvedBy ?? '—'} onFix={() => setFixing(item)} onDiscard={() => setDiscarding(item)} />
        ))
      )}

      <Drawer opened={fixing !== null} onClose={() => confirm.guard(close)} position="right" size="lg" title={t('forms.quarantine.replayTitle')}>
        {fixing && <ReplayEditor key={fixing.id} item={fixing} onDone={close} onCancel={() => confirm.guard(close)} onDirtyChange={onDirtyChange} />}
      </Drawer>
      {confirm.modal}
      <Modal opened={discarding !== null} onClose={() => setDiscarding(null)} title={t('forms.quarantine.discardTitle')} centered>
        <Text size="sm">{t('forms.quarantine.discardText')}</Text>
        <FormError error={discard.error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setDiscarding(null)}>{t('forms.edit.cancel')}</Button>
          <Button color="red" loading={discard.isPending} onClick={() => discarding && discard.mutate(discarding.id, { onSuccess: () => setDiscarding(null) })}>{t('forms.quarantine.discard')}</Button>
        </Group>
      </Modal>
    </Stack>
  );
}
