import type { TFunction } from 'i18next';

/** Minutes as at most two units, largest first: «1 день 2 часа», «45 минут». */
export function formatDuration(t: TFunction, minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total === 0) return t('slaSettings.span.zero');
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t('slaSettings.span.days', { count: days }));
  if (hours > 0) parts.push(t('slaSettings.span.hours', { count: hours }));
  if (mins > 0 && days === 0) parts.push(t('slaSettings.span.minutes', { count: mins }));
  return parts.slice(0, 2).join(' ');
}
