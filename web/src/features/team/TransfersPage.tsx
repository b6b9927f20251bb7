import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '@/api/client';
import type { Transfer } from '@/api/types';
import { reasonLabel } from '@/features/leads/labels';
import { useManagers } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { useApproveTransfer, useCancelTransfer, useRejectTransfer, useTransfers } from './team-api';

/** Transfer requests: a head approves (choosing or overriding the recipient) or rejects; a manager sees and cancels their own. */
export function TransfersPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [show, setShow] = useState<'requested' | 'all'>('requested');
  const transfers = useTransfers(show);
  const decides = user.role === 'head' || user.role === 'admin';

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{decides ? t('transfers.approvals') : t('transfers.mine')}</Title>
        <Select w={180} aria-label={t('transfers.show')} value={show} allowDeselect={false} onChange={(v) => setShow(v === 'all' ? 'all' : 'requested')} data={[{ value: 'requested', label: t('transfers.pending') }, { value: 'all', label: t('transfers.all') }]} />
      </Group>
      {transfers.isPending && <PageLoader />}
      {transfers.isError && <ErrorState error={transfers.error} />}
      {transfers.data?.length === 0 && <Text c="dimmed">{t('transfers.empty')}</Text>}
      {transfers.data?.map((transfer) => <TransferCard key={transfer.id} transfer={transfer} decides={decides} isMine={transfer.fromManagerId === user.managerId} />)}
    </Stack>
  );
}

function TransferCard({ transfer, decides, isMine }: { transfer: Transfer; decides: boolean; isMine: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const managers = useManagers();
  const approve = useApproveTransfer();
  const reject = useRejectTransfer();
  const cancel = useCancelTransfer();
  const [recipient, setRecipient] = useState<string | null>(transfer.toManagerId);
  const [comment, setComment] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const fromTeam = managers.data?.find((m) => m.id === transfer.fromManagerId)?.teamId ?? null;
  const name = (id: string | null) => (id ? (managers.data?.find((m) => m.id === id)?.name ?? id.slice(0, 8)) : t('transfers.byRules'));
  const failedCheck = approve.error instanceof ApiError && approve.error.status === 422 ? String(approve.error.details[0]?.code ?? '') : null;
  const pending = transfer.status === 'requested';

  return (
    <Card withBorder padding="sm" data-testid="transfer" data-transfer-id={transfer.id}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={600}>
            <Link to={`/leads/${transfer.leadId}`}>{t('transfers.lead')}</Link> · {name(transfer.fromManagerId)} → {name(transfer.toManagerId)}
          </Text>
          <Text size="sm">{reasonLabel(t, 'transfer', transfer.reason, transfer.reasonLabel)}{transfer.comment ? ` — ${transfer.comment}` : ''}</Text>
          <Text size="xs" c="dimmed">{format.dateTime(transfer.createdAt)}</Text>
        </div>
        <Badge color={pending ? 'yellow' : transfer.status === 'approved' ? 'teal' : 'gray'}>{t(`transfers.status.${transfer.status}`)}</Badge>
      </Group>
      {pending && decides && (
        <Stack gap="xs" mt="sm">
          <Group grow align="flex-end">
            <Select label={t('transfers.recipient')} clearable searchable placeholder={t('transfers.byRules')} value={recipient} onChange={setRecipient} data={(managers.data ?? []).filter((m) => m.id !== transfer.fromManagerId && m.teamId === fromTeam).map((m) => ({ value: m.id, label: m.name }))} />
            <TextInput label={t('transfers.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
          </Group>
          {failedCheck && (
            <Alert color="orange" py="xs" data-testid="recipient-check">
              <Text size="sm">{t('transfers.checkFailed', { check: t(`transfers.checks.${failedCheck as 'paused'}`, { defaultValue: failedCheck }) })}</Text>
              <Textarea mt={4} label={t('transfers.overrideReason')} value={overrideReason} onChange={(e) => setOverrideReason(e.currentTarget.value)} autosize minRows={1} />
            </Alert>
          )}
          {!failedCheck && <FormError error={approve.error} />}
          <FormError error={reject.error} />
          <Group justify="flex-end">
            <Button variant="light" color="red" disabled={!comment.trim()} loading={reject.isPending} onClick={() => reject.mutate({ id: transfer.id, comment: comment.trim() })}>{t('transfers.reject')}</Button>
            <Button
              color="teal"
              loading={approve.isPending}
              disabled={failedCheck !== null && !overrideReason.trim()}
              onClick={() =>
                approve.mutate({
                  id: transfer.id,
                  ...(recipient ? { toManagerId: recipient } : {}),
                  ...(comment.trim() ? { comment: comment.trim() } : {}),
                  ...(failedCheck && overrideReason.trim() ? { override: { reason: overrideReason.trim() } } : {}),
                })
              }
            >
              {failedCheck ? t('transfers.approveOverride') : t('transfers.approve')}
            </Button>
          </Group>
          {!comment.trim() && <Text size="xs" c="dimmed">{t('transfers.rejectNeedsComment')}</Text>}
        </Stack>
      )}
      {pending && !decides && isMine && (
        <Group justify="flex-end" mt="xs">
          <Button size="xs" variant="subtle" loading={cancel.isPending} onClick={() => cancel.mutate(transfer.id)}>{t('transfers.cancel')}</Button>
        </Group>
      )}
    </Card>
  );
}
