import { Button, Group, NumberInput, Paper, Select, Stack, Text } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '@/features/team/team-api';
import { ErrorState } from '@/ui/ErrorState';
import { fieldError, FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { UnsavedChangesGuard } from '@/ui/UnsavedChangesGuard';
import { useBonusSettings, useSaveBonusSettings, type BonusSettings } from './bonus-api';

const POINTS = ['presentation', 'proposal', 'contract'] as const;

/** The console's «Бонусы» tab: a team's originator share, control point weights and bonus rate. */
export function BonusSettingsPanel() {
  const { t } = useTranslation();
  const teams = useTeams();
  const [teamId, setTeamId] = useState<string | null>(null);
  const team = teamId ?? teams.data?.[0]?.id ?? null;
  const settings = useBonusSettings(team);
  return (
    <Paper withBorder p="md" maw={760}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">{t('bonus.settings.hint')}</Text>
        <Select
          w={260}
          label={t('bonus.settings.team')}
          placeholder={t('bonus.settings.pickTeam')}
          allowDeselect={false}
          value={team}
          data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          onChange={setTeamId}
        />
        {team !== null && (settings.isPending ? <PageLoader /> : settings.isError ? <ErrorState error={settings.error} /> : <SettingsForm key={JSON.stringify(settings.data)} saved={settings.data} />)}
      </Stack>
    </Paper>
  );
}

type Value = number | string;
const num = (v: Value): number => (typeof v === 'number' ? v : Number(v.replace(',', '.')) || 0);

function SettingsForm({ saved }: { saved: BonusSettings }) {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const save = useSaveBonusSettings();
  const [originator, setOriginator] = useState<Value>(saved.originatorSharePercent);
  const [weights, setWeights] = useState<Record<(typeof POINTS)[number], Value>>({ ...saved.controlPointWeights });
  const [rate, setRate] = useState<Value>(saved.bonusRatePercent ?? '');
  const body = {
    originatorSharePercent: num(originator),
    controlPointWeights: { presentation: num(weights.presentation), proposal: num(weights.proposal), contract: num(weights.contract) },
    bonusRatePercent: rate === '' ? null : num(rate),
  };
  const dirty = JSON.stringify(body) !== JSON.stringify({ originatorSharePercent: saved.originatorSharePercent, controlPointWeights: saved.controlPointWeights, bonusRatePercent: saved.bonusRatePercent });
  const given = Math.round((body.originatorSharePercent + body.controlPointWeights.presentation + body.controlPointWeights.proposal + body.controlPointWeights.contract) * 100) / 100;
  const pct = (n: number) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n)}%`;
  const reset = () => {
    setOriginator(saved.originatorSharePercent);
    setWeights({ ...saved.controlPointWeights });
    setRate(saved.bonusRatePercent ?? '');
  };
  const percentInput = { min: 0, max: 100, decimalScale: 2, step: 1, w: 170, suffix: ' %' } as const;
  return (
    <Stack gap="sm">
      <UnsavedChangesGuard when={dirty} />
      {saved.inherited && <Text size="xs" c="dimmed">{t('bonus.settings.inherited')}</Text>}
      <NumberInput {...percentInput} label={t('bonus.settings.originator')} value={originator} onChange={setOriginator} error={fieldError(save.error, 'originatorSharePercent')} />
      <Text size="sm" fw={500}>{t('bonus.settings.points')}</Text>
      <Group gap="sm">
        {POINTS.map((p) => (
          <NumberInput key={p} {...percentInput} label={t(`bonus.points.${p}`)} value={weights[p]} onChange={(v) => setWeights((w) => ({ ...w, [p]: v }))} error={fieldError(save.error, `controlPointWeights.${p}`)} />
        ))}
      </Group>
      <Text size="sm" c={given > 100 ? 'red' : 'dimmed'}>{given > 100 ? t('bonus.settings.tooMuch', { percent: pct(given) }) : t('bonus.settings.closerGets', { percent: pct(100 - given) })}</Text>
      <NumberInput {...percentInput} w={260} label={t('bonus.settings.rate')} description={t('bonus.settings.rateHint')} value={rate} onChange={setRate} error={fieldError(save.error, 'bonusRatePercent')} />
      <FormError error={save.error} fields={['originatorSharePercent', 'bonusRatePercent', ...POINTS.map((p) => `controlPointWeights.${p}`)]} />
      <Group gap="xs">
        <Button disabled={!dirty} loading={save.isPending} onClick={() => save.mutate({ teamId: saved.teamId, ...body }, { onSuccess: () => toasts.show({ color: 'teal', message: t('bonus.settings.saved') }) })}>{t('common.save')}</Button>
        {dirty && <Button variant="default" onClick={reset}>{t('common.cancel')}</Button>}
      </Group>
    </Stack>
  );
}
