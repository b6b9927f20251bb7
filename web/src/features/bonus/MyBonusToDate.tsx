import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@/ui/format';
import { useBonusReport } from './bonus-api';
import { formatMinor } from './bonus-month';

/** A manager's bonus to date this month, for the «Мой месяц» strip: the bonus when the team sets a rate, else the credited value. */
export function MyBonusToDate() {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const report = useBonusReport({});
  if (!report.data) return null;
  const totals = report.data.totals;
  const withBonus = totals.some((x) => x.bonusMinor !== null);
  const amount = totals.length === 0 ? formatMinor(0, 'RUB', locale) : totals.map((x) => formatMinor(withBonus ? x.bonusMinor : x.creditedMinor, x.currency, locale)).join(' · ');
  return (
    <Text size="sm" data-testid="my-bonus">
      <Anchor component={Link} to="/bonuses" fw={600} size="sm">{amount}</Anchor>{' '}
      <Text span c="dimmed">{withBonus ? t('bonus.myMonthBonus') : t('bonus.myMonthCredited')}</Text>
    </Text>
  );
}
