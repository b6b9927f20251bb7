import { Alert, Anchor, Badge, Button, Grid, Group, Modal, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Lead } from '@/api/types';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { useNow } from '@/ui/use-now';
import { ActivityForm } from './actions/ActivityForm';
import { ConvertForm } from './actions/ConvertForm';
import { ReleaseForm } from './actions/ReleaseForm';
import { StatusForm } from './actions/StatusForm';
import { TaskForm } from './actions/TaskForm';
import { TransferForm } from './actions/TransferForm';
import { BriefingPanel } from './BriefingPanel';
import { DealPanel } from './DealPanel';
import { DecisionPanel } from './DecisionPanel';
import { OriginatorLine } from './originator/OriginatorLine';
import { sourceLabel } from './originator/source-label';
import { reasonLabel, stageLabel } from './labels';
import { useLead, useLeadTimeline, usePipelines } from './leads-api';
import { SlaBadge } from './SlaBadge';
import { TasksPanel } from './TasksPanel';
import { Timeline } from './Timeline';
import { pipelineFor } from './use-lead-scope';

type Action = 'activity' | 'status' | 'task' | 'convert' | 'transfer' | 'release';

/** Everything about one lead and every action on it. */
export function LeadPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const now = useNow(15_000);
  const lead = useLead(id);
  const timeline = useLeadTimeline(id);
  const pipelines = usePipelines();
  const [action, setAction] = useState<Action | null>(null);

  if (lead.isPending) return <PageLoader />;
  if (lead.isError) return <ErrorState error={lead.error} />;
  const { lead: l, owner, originator, decision } = lead.data;
  const pipeline = pipelineFor(pipelines.data, user.teamId);
  // A closed lead (converted or junk) takes no more work, even where an import left closedAt empty.
  const stageKind = pipeline?.stages.find((s) => s.key === l.status)?.kind;
  const closed = l.lifecycle.closedAt !== null || stageKind === 'junk' || stageKind === 'converted';
  const owned = l.ownerId !== null;
  const canWork = !closed && owned && (user.role !== 'manager' || l.ownerId === user.managerId) && user.role !== 'qualifier';
  const close = () => setAction(null);

  return (
    <Stack gap="md" maw={1280}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Anchor component={Link} to="/leads" size="sm">← {t('lead.back')}</Anchor>
          <Title order={3} data-testid="lead-title">{l.name ?? l.companyName ?? l.phone ?? l.email ?? t('lead.untitled')}</Title>
          <Group gap="xs" mt={4}>
            <Badge variant="light" data-testid="lead-status">{stageLabel(t, l.status, pipeline?.stages.find((s) => s.key === l.status)?.label)}</Badge>
            {l.lifecycle.junkReason && <Badge variant="light" color="red">{reasonLabel(t, 'junk', l.lifecycle.junkReason)}</Badge>}
            <SlaBadge lead={l} now={now} size="md" />
            <Text size="sm" c="dimmed">{owner ? t('lead.ownedBy', { name: owner.name }) : t('lead.inPool')}</Text>
            <OriginatorLine leadId={l.id} originator={originator} user={user} />
          </Group>
        </div>
        {canWork && (
          <Group gap="xs">
            <Button onClick={() => setAction('activity')}>{t('lead.actions.logActivity')}</Button>
            <Button variant="default" onClick={() => setAction('status')}>{t('lead.actions.status')}</Button>
            <Button variant="default" onClick={() => setAction('task')}>{t('lead.actions.task')}</Button>
            <Button variant="default" color="teal" onClick={() => setAction('convert')}>{t('lead.actions.convert')}</Button>
            <Button variant="default" onClick={() => setAction('transfer')}>{t('lead.actions.transfer')}</Button>
            <Button variant="subtle" color="orange" onClick={() => setAction('release')}>{t('lead.actions.release')}</Button>
          </Group>
        )}
      </Group>

      {l.lifecycle.firstContactAt && <FirstContactNote lead={l} />}
      <BriefingPanel leadId={l.id} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <ContactCard lead={l} />
            {decision && <DecisionPanel decision={decision} mine={l.ownerId !== null && l.ownerId === user.managerId} />}
            <LeadFields lead={l} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <TasksPanel leadId={l.id} canWork={canWork} />
            {l.status === 'converted' && <DealPanel leadId={l.id} />}
            <Paper withBorder p="md">
              <Title order={5} mb="sm">{t('lead.timeline')}</Title>
              {timeline.data ? <Timeline items={timeline.data.items} /> : timeline.isError ? <ErrorState error={timeline.error} /> : <PageLoader />}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <Modal opened={action !== null} onClose={close} title={action ? t(`lead.actionTitles.${action}`) : ''} centered>
        {action === 'activity' && (
          <ActivityForm
            leadId={l.id}
            onDone={({ firstContact }) => {
              close();
              toasts.show({ color: 'teal', message: firstContact ? t('activity.firstContactLogged') : t('activity.logged') });
            }}
          />
        )}
        {action === 'status' && pipeline && <StatusForm leadId={l.id} current={l.status} stages={pipeline.stages} onDone={close} />}
        {action === 'task' && <TaskForm leadId={l.id} onDone={close} />}
        {action === 'convert' && <ConvertForm lead={l} onDone={close} />}
        {action === 'transfer' && (
          <TransferForm
            leadId={l.id}
            ownerId={l.ownerId}
            onDone={({ status }) => {
              close();
              toasts.show({ message: status === 'approved' ? t('transfer.autoApproved') : t('transfer.requested') });
            }}
          />
        )}
        {action === 'release' && <ReleaseForm leadId={l.id} onDone={close} />}
      </Modal>
    </Stack>
  );
}

function FirstContactNote({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Alert color="teal" py="xs" data-testid="first-contact">
      {t('sla.clockStopped', { at: format.dateTime(lead.lifecycle.firstContactAt) })}
    </Alert>
  );
}

function Field({ label, value }: { label: string; value: string | number | null | undefined }) {
  if (value === null || value === undefined || value === '') return null;
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

function ContactCard({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">{t('lead.contact')}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
        <Field label={t('lead.client')} value={lead.name} />
        <div>
          <Text size="xs" c="dimmed">{t('lead.phone')}</Text>
          {lead.phone ? <Anchor href={`tel:${lead.phone}`} size="sm">{lead.phone}</Anchor> : <Text size="sm">{lead.phoneRaw ?? '—'}</Text>}
        </div>
        <div>
          <Text size="xs" c="dimmed">{t('lead.email')}</Text>
          {lead.email ? <Anchor href={`mailto:${lead.email}`} size="sm">{lead.email}</Anchor> : <Text size="sm">—</Text>}
        </div>
        <Field label={t('lead.company')} value={lead.companyName} />
        <Field label={t('lead.taxId')} value={lead.taxId} />
        <Field label={t('lead.website')} value={lead.website ?? lead.domain} />
        <Field label={t('lead.region')} value={[lead.region, lead.country].filter(Boolean).join(', ')} />
      </SimpleGrid>
      {lead.duplicateOf && (
        <Alert color="yellow" mt="sm" py={6}>
          {t('lead.duplicateOf')} <Anchor component={Link} to={`/leads/${lead.duplicateOf}`}>{lead.duplicateOf.slice(0, 8)}</Anchor>
        </Alert>
      )}
    </Paper>
  );
}

function LeadFields({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const format = useFormat();
  const custom = Object.entries(lead.custom);
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">{t('lead.fields')}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="xs">
        <Field label={t('lead.source')} value={lead.source ? sourceLabel(t, lead.source) : null} />
        <Field label={t('lead.channel')} value={lead.channel} />
        <Field label={t('lead.campaign')} value={lead.campaign ?? lead.utm?.campaign} />
        <Field label={t('lead.industry')} value={lead.industry} />
        <Field label={t('lead.companySize')} value={lead.companySize} />
        <Field label={t('lead.dealValue')} value={lead.dealValue !== null ? format.money(lead.dealValue) : null} />
        <Field label={t('lead.productInterest')} value={lead.productInterest.join(', ')} />
        <Field label={t('lead.language')} value={lead.language} />
        <Field label={t('lead.score')} value={lead.score} />
        <Field label={t('lead.priority')} value={lead.priority} />
        <Field label={t('lead.createdAt')} value={format.dateTime(lead.createdAt)} />
        {Object.entries(lead.utm ?? {}).map(([k, v]) => <Field key={k} label={`utm_${k}`} value={v} />)}
        {custom.map(([k, v]) => <Field key={k} label={k} value={typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v)} />)}
      </SimpleGrid>
      {lead.comment && <Text size="sm" mt="sm">{lead.comment}</Text>}
    </Paper>
  );
}
