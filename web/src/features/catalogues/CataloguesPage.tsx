import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { BonusSettingsPanel } from '@/features/bonus/BonusSettingsPanel';
import { ControlPointsPanel } from './ControlPointsPanel';
import { PipelinesPanel } from './PipelinesPanel';
import { QualificationPanel } from './QualificationPanel';
import { ReasonsPanel } from './ReasonsPanel';

const TABS = ['pipelines', 'junk', 'transfer', 'controlPoints', 'bonuses', 'qualification'] as const;
type Tab = (typeof TABS)[number];

/** Pipelines per team, the junk and transfer reason catalogues, control points and the qualification switch. */
export function CataloguesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'pipelines';
  return (
    <Stack>
      <div>
        <Title order={2}>{t('catalogues.title')}</Title>
        <Text c="dimmed" size="sm">{t('catalogues.subtitle')}</Text>
      </div>
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'pipelines' ? { tab: value } : {}, { replace: true })}>
        <Tabs.List>
          {TABS.map((name) => (
            <Tabs.Tab key={name} value={name}>{t(`catalogues.tabs.${name}`)}</Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="pipelines" pt="md"><PipelinesPanel /></Tabs.Panel>
        <Tabs.Panel value="junk" pt="md"><ReasonsPanel kind="junk" /></Tabs.Panel>
        <Tabs.Panel value="transfer" pt="md"><ReasonsPanel kind="transfer" /></Tabs.Panel>
        <Tabs.Panel value="controlPoints" pt="md"><ControlPointsPanel /></Tabs.Panel>
        <Tabs.Panel value="bonuses" pt="md"><BonusSettingsPanel /></Tabs.Panel>
        <Tabs.Panel value="qualification" pt="md"><QualificationPanel /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
