import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/**
 * Keeps unsaved edits from being lost silently: leaving the page inside the app asks first,
 * and closing or reloading the tab gets the browser's own warning.
 */
export function UnsavedChangesGuard({ when }: { when: boolean }) {
  const { t } = useTranslation();
  // Read at the moment of leaving, so a save that clears `when` and then navigates (inside flushSync) is let through.
  const blocking = useRef(when);
  useLayoutEffect(() => {
    blocking.current = when;
  }, [when]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => blocking.current && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (!when) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [when]);

  return (
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title={t('common.unsavedTitle')} centered>
      <Text size="sm">{t('common.unsavedText')}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => blocker.reset?.()}>{t('common.stay')}</Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>{t('common.leave')}</Button>
      </Group>
    </Modal>
  );
}
