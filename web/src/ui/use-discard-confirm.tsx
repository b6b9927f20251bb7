import { Button, Group, Modal, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Asks before an action inside a page throws away unsaved edits (opening another item,
 * switching the team, closing an editor) — the cases the leave-page guard cannot see because
 * the address does not change. `guard(action)` runs the action at once when nothing is unsaved.
 */
export function useDiscardConfirm(dirty: boolean): { guard(action: () => void): void; modal: ReactNode } {
  const { t } = useTranslation();
  const [pending, setPending] = useState<(() => void) | null>(null);
  const guard = (action: () => void) => (dirty ? setPending(() => action) : action());
  const modal = (
    <Modal opened={pending !== null} onClose={() => setPending(null)} title={t('common.unsavedTitle')} centered>
      <Text size="sm">{t('common.discardText')}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => setPending(null)}>{t('common.stay')}</Button>
        <Button
          color="red"
          onClick={() => {
            pending?.();
            setPending(null);
          }}
        >
          {t('common.discard')}
        </Button>
      </Group>
    </Modal>
  );
  return { guard, modal };
}
