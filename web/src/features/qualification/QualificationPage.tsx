import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '@/api/client';
import type { Lead, LeadWithDecision } from '@/api/types';
import { explainDecision } from '@/features/leads/decision-explainer';
import { reasonLabel } from '@/features/leads/labels';
import { useQualifyLead, useReasons } from '@/features/leads/leads-api';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';

export const qualificationKey = ['qualification'] as const;

/** Leads waiting for a qualifier: pass one on to routing (and see where it went and why) or mark it junk. */
export function QualificationPage() {
  const { t } = useTranslation();
  const queue = useQuery({
    queryKey: qualificationKey,
    queryFn: async () => await unwrap(api.GET('/api/v1/leads', { params: { query: { status: 'qualification', limit: 100 } } })),
  });
  const [routed, setRouted] = useState<Array<{ lead: Lead; result: LeadWithDecision }>>([]);

  if (queue.isPending) return <PageLoader />;
  if (queue.isError) return <ErrorState error={queue.error} />;
  const items = [...queue.data.items].reverse();

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('qualification.title')}</Title>
        <Badge size="lg" variant="light" data-testid="qualification-count">{t('qualification.waiting', { count: items.length })}</Badge>
      </Group>
      {routed.map((r) => <RoutedNotice key={r.lead.id} result={r.result} />)}
      {items.length === 0 && <Text c="dimmed">{t('qualification.empty')}</Text>}
      {items.map(({ lead }) => (
        <QualifyCard key={lead.id} lead={lead} onRouted={(result) => setRouted((list) => [{ lead, result }, ...list].slice(0, 3))} />
      ))}
    </Stack>
  );
}

function QualifyCard({ lead, onRouted }: { lead: Lead; onRouted(result: LeadWithDecision): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const qualify = useQualifyLead(lead.id);
  const reasons = useReasons('junk');
  const [junkReason, setJunkReason] = useState<string | null>(null);

  // The answer says where the lead went and why: the qualifier may not open it any more.
  const pass = () => qualify.mutate({ decision: 'qualified' }, { onSuccess: onRouted });

  return (
    <Card withBorder padding="sm" data-testid="qualification-lead" data-lead-id={lead.id}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Text fw={600}>{lead.name ?? lead.companyName ?? lead.phone ?? t('lead.untitled')}</Text>
          <Text size="sm" c="dimmed">{[lead.phone, lead.email, lead.companyName, lead.region].filter(Boolean).join(' · ')}</Text>
          <Text size="xs" c="dimmed">{[lead.source, lead.campaign, format.dateTime(lead.createdAt)].filter(Boolean).join(' · ')}</Text>
          {lead.comment && <Text size="sm" mt={4}>{lead.comment}</Text>}
        </div>
        <Group gap="xs" align="flex-end">
          <Button color="teal" onClick={pass} loading={qualify.isPending && qualify.variables?.decision === 'qualified'}>{t('qualification.pass')}</Button>
          <Select
            aria-label={t('status.junkReason')}
            placeholder={t('status.junkReason')}
            w={200}
            value={junkReason}
            onChange={setJunkReason}
            data={(reasons.data ?? []).filter((r) => r.active).map((r) => ({ value: r.key, label: reasonLabel(t, 'junk', r.key, r.label) }))}
          />
          <Button color="red" variant="light" disabled={!junkReason} loading={qualify.isPending && qualify.variables?.decision === 'junk'} onClick={() => junkReason && qualify.mutate({ decision: 'junk', junkReason })}>
            {t('qualification.junk')}
          </Button>
        </Group>
      </Group>
      <FormError error={qualify.error} />
    </Card>
  );
}

function RoutedNotice({ result }: { result: LeadWithDecision }) {
  const { t } = useTranslation();
  // A qualifier may not open a lead once it is routed; heads and admins may.
  const isQualifier = useCurrentUser().role === 'qualifier';
  // A qualifier may not list managers; the owner's name comes with the answer.
  const names = (id: string) => (id === result.owner?.id ? result.owner.name : t('decision.unknownManager'));
  const explained = result.decision ? explainDecision(t, result.decision, names) : null;
  return (
    <Alert color="teal" data-testid="qualification-routed">
      <Text size="sm" fw={600}>
        {t('qualification.routed', { name: result.lead.name ?? result.lead.phone ?? '', owner: result.owner?.name ?? t('lead.inPool') })}{' '}
        {!isQualifier && <Link to={`/leads/${result.lead.id}`}>{t('qualification.open')}</Link>}
      </Text>
      {explained && <Text size="sm">{explained.headline}</Text>}
    </Alert>
  );
}
