import { ActionIcon, Anchor, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@/ui/format';
import type { BonusLine, BonusReport, BonusTotal } from './bonus-api';
import { formatMinor, formatShare, monthLabel } from './bonus-month';

/** Per manager: the deals that credited them and the totals; a row opens to the deal lines. */
export function BonusTable({ report }: { report: BonusReport }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const hasBonus = report.totals.some((x) => x.bonusMinor !== null) || report.managers.some((m) => m.totals.some((x) => x.bonusMinor !== null));
  const toggle = (key: string) => setOpen((prev) => {
    const next = new Set(prev);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  });
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing={6} data-testid="bonus-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36} />
            <Table.Th>{t('bonus.columns.manager')}</Table.Th>
            <Table.Th>{t('bonus.columns.deals')}</Table.Th>
            <Table.Th ta="right">{t('bonus.columns.credited')}</Table.Th>
            {hasBonus && <Table.Th ta="right">{t('bonus.columns.bonus')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.managers.map((m) => {
            const key = m.managerId ?? '';
            const name = m.name ?? t('bonus.unassigned');
            const expanded = open.has(key);
            const deals = new Set(m.lines.map((l) => l.dealId)).size;
            const adjusted = m.lines.some((l) => l.adjustment);
            return (
              <Fragment key={key}>
                <Table.Tr onClick={() => toggle(key)} style={{ cursor: 'pointer' }} data-testid={`bonus-manager-${key}`}>
                  <Table.Td>
                    <ActionIcon variant="subtle" size="sm" aria-expanded={expanded} aria-label={t(expanded ? 'bonus.collapse' : 'bonus.expand', { name })} onClick={(e) => { e.stopPropagation(); toggle(key); }}>
                      {expanded ? '▾' : '▸'}
                    </ActionIcon>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={500}>{name}</Text>
                      {adjusted && <Badge size="xs" color="orange" variant="light">{t('bonus.adjustment')}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td><Text size="sm">{t('bonus.deals', { count: deals })}</Text></Table.Td>
                  <Table.Td ta="right"><Totals totals={m.totals} field="creditedMinor" /></Table.Td>
                  {hasBonus && <Table.Td ta="right"><Totals totals={m.totals} field="bonusMinor" /></Table.Td>}
                </Table.Tr>
                {expanded && (
                  <Table.Tr>
                    <Table.Td />
                    <Table.Td colSpan={hasBonus ? 4 : 3} p={0} pb="xs">
                      <BonusLines lines={m.lines} hasBonus={hasBonus} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
        {report.managers.length > 1 && (
          <Table.Tfoot>
            <Table.Tr>
              <Table.Td />
              <Table.Th>{t('bonus.total')}</Table.Th>
              <Table.Td />
              <Table.Th ta="right"><Totals totals={report.totals} field="creditedMinor" /></Table.Th>
              {hasBonus && <Table.Th ta="right"><Totals totals={report.totals} field="bonusMinor" /></Table.Th>}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </Table.ScrollContainer>
  );
}

const ROLES = ['originator', 'closer', 'presentation', 'proposal', 'contract'] as const;

/** originator, closer, controlPoint:<key> → its words (i18next reads ':' as a namespace, so the key drops the prefix). */
function roleLabel(t: TFunction, role: string): string {
  const key = role.replace(/^controlPoint:/, '');
  const known = ROLES.find((r) => r === key);
  return known ? t(`bonus.roles.${known}`) : role;
}

export function Totals({ totals, field, size = 'sm' }: { totals: BonusTotal[]; field: 'creditedMinor' | 'bonusMinor'; size?: 'sm' | 'md' | 'xl' }) {
  const { locale } = useFormat();
  if (totals.length === 0) return <Text size={size}>—</Text>;
  return (
    <Stack gap={0}>
      {totals.map((x) => <Text key={x.currency ?? ''} size={size} fw={size === 'xl' ? 700 : 500} style={{ whiteSpace: 'nowrap' }}>{formatMinor(x[field], x.currency, locale)}</Text>)}
    </Stack>
  );
}

/** A deal's title links to its lead for heads and admins; a manager may not see a lead a colleague owns, so for them it is text. */
export function BonusLines({ lines, hasBonus, linkDeals = true }: { lines: BonusLine[]; hasBonus: boolean; linkDeals?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Table verticalSpacing={4} withRowBorders={false} bg="var(--mantine-color-gray-0)" data-testid="bonus-lines">
      <Table.Thead>
        <Table.Tr>
          <Table.Th><Text size="xs" c="dimmed">{t('bonus.columns.deal')}</Text></Table.Th>
          <Table.Th><Text size="xs" c="dimmed">{t('bonus.columns.role')}</Text></Table.Th>
          <Table.Th ta="right"><Text size="xs" c="dimmed">{t('bonus.columns.share')}</Text></Table.Th>
          <Table.Th ta="right"><Text size="xs" c="dimmed">{t('bonus.columns.credited')}</Text></Table.Th>
          {hasBonus && <Table.Th ta="right"><Text size="xs" c="dimmed">{t('bonus.columns.bonus')}</Text></Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l, i) => (
          <Table.Tr key={`${l.dealId}-${l.role}-${l.adjustment ? 'a' : 'l'}-${i}`}>
            <Table.Td>
              <Stack gap={0}>
                {linkDeals ? <Anchor component={Link} to={`/leads/${l.leadId}`} size="sm">{l.dealTitle}</Anchor> : <Text size="sm">{l.dealTitle}</Text>}
                <Text size="xs" c="dimmed">{t('bonus.columns.wonAt')}: {format.date(l.wonAt)}</Text>
              </Stack>
            </Table.Td>
            <Table.Td>
              <Stack gap={2}>
                <Group gap={6}>
                  <Text size="sm">{roleLabel(t, l.role)}</Text>
                  {l.adjustment && (
                    <Tooltip label={t('bonus.adjustmentOf', { month: l.adjustsPeriod ? monthLabel(l.adjustsPeriod, format.locale, false) : '' })} multiline w={260}>
                      <Badge size="xs" color="orange" variant="light">{t('bonus.adjustment')} · {l.adjustsPeriod ? monthLabel(l.adjustsPeriod, format.locale) : ''}</Badge>
                    </Tooltip>
                  )}
                </Group>
                <Text size="xs" c="dimmed">{l.adjustment ? l.basis : l.rule}</Text>
              </Stack>
            </Table.Td>
            <Table.Td ta="right"><Text size="sm">{formatShare(l.shareBp, format.locale)}</Text></Table.Td>
            <Table.Td ta="right">
              <Text size="sm" c={l.amountMinor !== null && l.amountMinor < 0 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {l.amountMinor === null ? t('bonus.noAmount') : formatMinor(l.amountMinor, l.currency, format.locale)}
              </Text>
            </Table.Td>
            {hasBonus && <Table.Td ta="right"><Text size="sm" c={l.bonusMinor !== null && l.bonusMinor < 0 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>{formatMinor(l.bonusMinor, l.currency, format.locale)}</Text></Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
