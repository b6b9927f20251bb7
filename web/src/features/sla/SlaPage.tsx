import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { HolidaysPanel } from './HolidaysPanel';
import { PoliciesPanel } from './PoliciesPanel';

/** The admin's SLA settings: policies with a live preview of the deadline, and the holiday calendar. */
export function SlaPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'holidays' ? 'holidays' : 'policies';
  return (
    <Stack>
      <div>
        <Title order={2}>{t('slaSettings.title')}</Title>
        <Text c="dimmed" size="sm">{t('slaSettings.subtitle')}</Text>
      </div>
      <Tabs value={tab} onChange={(value) => setParams(value === 'holidays' ? { tab: 'holidays' } : {}, { replace: true })}>
        <Tabs.List>
          <Tabs.Tab value="policies">{t('slaSettings.tabs.policies')}</Tabs.Tab>
          <Tabs.Tab value="holidays">{t('slaSettings.tabs.holidays')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="policies" pt="md">
          <PoliciesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="holidays" pt="md">
          <HolidaysPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
