import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import { reasonLabel } from './labels';
import { useLeadBriefing } from './leads-api';

/** What the new owner needs after a hand-over: why it came, the last contacts, the open tasks, the new deadline. */
export function BriefingPanel({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const briefing = useLeadBriefing(leadId, true);
  const b = briefing.data;
  if (!b?.transfer || b.transfer.status !== 'approved') return null;
  return (
    <Alert color="orange" title={t('briefing.title')} data-testid="briefing">
      <Text size="sm">{t('briefing.reason', { reason: reasonLabel(t, 'transfer', b.transfer.reason, b.transfer.reasonLabel) })}{b.transfer.comment ? ` — ${b.transfer.comment}` : ''}</Text>
      {b.lastContacts.length > 0 && (
        <>
          <Text size="sm" fw={500} mt={4}>{t('briefing.lastContacts')}</Text>
          <List size="sm">
            {b.lastContacts.map((c) => (
              <List.Item key={c.id}>
                {format.dateTime(c.occurredAt)} — {t(`activity.kinds.${c.kind as 'call'}`)}{c.outcome && c.outcome !== 'none' ? `: ${t(`activity.outcomes.${c.outcome as 'reached'}`)}` : ''}{c.note ? ` (${c.note})` : ''}
              </List.Item>
            ))}
          </List>
        </>
      )}
      {b.openTasks.length > 0 && <Text size="sm" mt={4}>{t('briefing.openTasks', { count: b.openTasks.length })}</Text>}
      {b.sla && <Text size="sm" mt={4}>{t('briefing.deadline', { at: format.dateTime(b.sla.dueAt) })}</Text>}
    </Alert>
  );
}
