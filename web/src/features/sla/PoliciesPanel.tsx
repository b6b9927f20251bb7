import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { formatDuration } from './duration';
import { PolicyEditor } from './PolicyEditor';
import { useSlaPolicies, type SlaPolicy } from './sla-api';

/** The policies in the order they are matched; a row opens its editor with the preview. */
export function PoliciesPanel() {
  const { t } = useTranslation();
  const policies = useSlaPolicies();
  const teams = useTeams();
  const [open, setOpen] = useState<string | 'new' | null>(null);
  const [editorDirty, setEditorDirty] = useState(false);
  const onDirtyChange = useCallback((dirty: boolean) => setEditorDirty(dirty), []);
  const { guard, modal } = useDiscardConfirm(editorDirty);
  const openPolicy = (next: string | 'new' | null) => guard(() => setOpen(next));
  if (policies.isPending) return <PageLoader />;
  if (policies.isError) return <ErrorState error={policies.error} />;
  const teamName = (id: string) => teams.data?.find((team) => team.id === id)?.name ?? id;
  const sorted = [...policies.data].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const selected = open === 'new' ? null : (sorted.find((p) => p.id === open) ?? null);
  const nextPosition = sorted.reduce((max, p) => Math.max(max, p.position + 1), 0);

  const covers = (p: SlaPolicy) => {
    const parts = [
      p.match.sources?.length ? t('slaSettings.policies.sources', { list: p.match.sources.join(', ') }) : null,
      p.match.priorities?.length ? t('slaSettings.policies.priorities', { list: p.match.priorities.join(', ') }) : null,
      p.match.teamIds?.length ? t('slaSettings.policies.teams', { list: p.match.teamIds.map(teamName).join(', ') }) : null,
    ].filter((x): x is string => x !== null);
    return parts.length > 0 ? parts.join(' · ') : t('slaSettings.policies.allLeads');
  };
  const onBreach = (p: SlaPolicy) => {
    const then = t(`slaSettings.policies.then.${p.onExhausted}`);
    return p.maxReassignments === 0 ? t('slaSettings.policies.breachNone', { then }) : t('slaSettings.policies.breach', { count: p.maxReassignments, then });
  };

  return (
    <Stack>
      {modal}
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={720}>{t('slaSettings.policies.hint')}</Text>
        <Button onClick={() => openPolicy('new')} disabled={open === 'new'}>{t('slaSettings.policies.add')}</Button>
      </Group>
      {sorted.length === 0 ? (
        <Alert color="gray">{t('slaSettings.policies.empty')}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover verticalSpacing="xs" aria-label={t('slaSettings.tabs.policies')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>{t('slaSettings.policies.order')}</Table.Th>
                <Table.Th>{t('slaSettings.policies.name')}</Table.Th>
                <Table.Th>{t('slaSettings.policies.covers')}</Table.Th>
                <Table.Th>{t('slaSettings.policies.firstContact')}</Table.Th>
                <Table.Th>{t('slaSettings.policies.nextStep')}</Table.Th>
                <Table.Th>{t('slaSettings.policies.warn')}</Table.Th>
                <Table.Th>{t('slaSettings.policies.onBreach')}</Table.Th>
                <Table.Th w={120}>{t('slaSettings.policies.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((p, index) => (
                <Table.Tr key={p.id} onClick={() => openPolicy(p.id)} style={{ cursor: 'pointer' }} bg={open === p.id ? 'var(--mantine-color-blue-light)' : undefined}>
                  <Table.Td>{index + 1}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500} component="button" type="button" onClick={() => openPolicy(p.id)} style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer', textAlign: 'left' }}>
                      {p.name}
                    </Text>
                  </Table.Td>
                  <Table.Td><Text size="sm">{covers(p)}</Text></Table.Td>
                  <Table.Td>{formatDuration(t, p.firstContactMinutes)}</Table.Td>
                  <Table.Td>{p.nextStepMinutes === null ? t('slaSettings.policies.none') : formatDuration(t, p.nextStepMinutes)}</Table.Td>
                  <Table.Td>{p.warnBeforeMinutes === null ? t('slaSettings.policies.none') : t('slaSettings.policies.before', { time: formatDuration(t, p.warnBeforeMinutes) })}</Table.Td>
                  <Table.Td><Text size="sm">{onBreach(p)}</Text></Table.Td>
                  <Table.Td miw={110}>
                    <Badge variant="light" color={p.active ? 'green' : 'gray'}>{p.active ? t('slaSettings.policies.active') : t('slaSettings.policies.inactive')}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {open !== null && (open === 'new' || selected) && (
        <PolicyEditor key={open} policy={selected} nextPosition={nextPosition} onClose={() => openPolicy(null)} onCreated={(id) => setOpen(id)} onDirtyChange={onDirtyChange} />
      )}
    </Stack>
  );
}
