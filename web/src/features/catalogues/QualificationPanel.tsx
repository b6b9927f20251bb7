import { Button, Group, Paper, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/ui/ErrorState';
import { fieldError, FormError } from '@/ui/FormError';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useQualificationSetting, useSaveQualificationSetting } from './catalogues-api';

/** Whether new leads wait for a qualifier before routing, for all sources or some. */
export function QualificationPanel() {
  const setting = useQualificationSetting();
  if (setting.isPending) return <PageLoader />;
  if (setting.isError) return <ErrorState error={setting.error} />;
  return <QualificationForm key={JSON.stringify(setting.data)} enabled={setting.data.enabled} sources={setting.data.sources ?? []} />;
}

function QualificationForm(saved: { enabled: boolean; sources: string[] }) {
  const { t } = useTranslation();
  const save = useSaveQualificationSetting();
  const [enabled, setEnabled] = useState(saved.enabled);
  const [sources, setSources] = useState(saved.sources);
  const dirty = enabled !== saved.enabled || JSON.stringify(sources) !== JSON.stringify(saved.sources);
  return (
    <Paper withBorder p="md" maw={760}>
      <UnsavedChangesGuard when={dirty} />
      <Stack gap="sm">
        <Text size="sm" c="dimmed">{t('catalogues.qualification.hint')}</Text>
        <Switch label={t('catalogues.qualification.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        {enabled && (
          <TagsInput
            label={t('catalogues.qualification.sources')}
            description={t('catalogues.qualification.sourcesHint')}
            placeholder={t('catalogues.qualification.sourcesPlaceholder')}
            value={sources}
            onChange={setSources}
            error={fieldError(save.error, 'sources')}
          />
        )}
        <Text size="sm">
          {!enabled ? t('catalogues.qualification.summaryOff') : sources.length === 0 ? t('catalogues.qualification.summaryAll') : t('catalogues.qualification.summarySome', { sources: sources.join(', ') })}
        </Text>
        <FormError error={save.error} fields={['sources']} />
        <Group gap="xs">
          <Button disabled={!dirty} loading={save.isPending} onClick={() => save.mutate({ enabled, ...(enabled ? { sources } : {}) })}>{t('common.save')}</Button>
          {dirty && <Button variant="default" onClick={() => { setEnabled(saved.enabled); setSources(saved.sources); }}>{t('common.cancel')}</Button>}
        </Group>
      </Stack>
    </Paper>
  );
}
