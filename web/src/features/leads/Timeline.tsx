import { Text, Timeline as MantineTimeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '@/api/types';
import { useFormat } from '@/ui/format';
import { useManagers } from './leads-api';
import { timelineText } from './timeline-text';

/** Everything that happened to the lead, newest on top, in the reader's language. */
export function Timeline({ items }: { items: TimelineEntry[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const managers = useManagers();
  const names = (id: string) => managers.data?.find((m) => m.id === id)?.name ?? null;
  const newestFirst = [...items].reverse();
  return (
    <MantineTimeline bulletSize={12} lineWidth={2} data-testid="timeline">
      {newestFirst.map((item, i) => {
        const text = timelineText(t, item, names);
        return (
          <MantineTimeline.Item key={`${item.at}-${i}`} title={<Text size="sm" fw={500}>{text.title}</Text>} color={text.color}>
            {text.detail && <Text size="xs" c="dimmed">{text.detail}</Text>}
            <Text size="xs" c="dimmed">{format.dateTime(item.at)}</Text>
          </MantineTimeline.Item>
        );
      })}
    </MantineTimeline>
  );
}
