import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSignOut } from '@/features/session/session-api';
import { useCurrentUser } from '@/features/session/use-session';
import { NotificationBell } from '@/features/notifications/NotificationBell';
import { useLiveNotifications } from '@/features/notifications/use-live-notifications';
import { PageLoader } from '@/ui/PageLoader';
import { LanguageSwitch } from './LanguageSwitch';
import { navigationFor, settingsNavigationFor } from './navigation';

export function AppLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  useLiveNotifications();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Text fw={700} c="blue.7">leadrouter</Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NotificationBell />
            <Group gap={6} visibleFrom="xs" wrap="nowrap">
              <Text size="sm" fw={500} truncate maw={180} data-testid="current-user">{user.name}</Text>
              <Text size="xs" c="dimmed">{t(`roles.${user.role}`)}</Text>
            </Group>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component="nav" aria-label={t('shell.navigation')}>
          {navigationFor(user.role).map((item) => (
            <NavLink key={item.path} component={RouterLink} to={item.path} label={t(`nav.${item.label}`)} active={location.pathname.startsWith(item.path)} onClick={close} />
          ))}
          {settingsNavigationFor(user.role).length > 0 && (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>{t('nav.settingsSection')}</Text>
              {settingsNavigationFor(user.role).map((item) => (
                <NavLink key={item.path} component={RouterLink} to={item.path} label={t(`nav.${item.label}`)} active={location.pathname.startsWith(item.path)} onClick={close} />
              ))}
            </>
          )}
        </AppShell.Section>
        <AppShell.Section>
          <Group justify="space-between" p="xs">
            <LanguageSwitch />
            <Button
              variant="subtle"
              size="xs"
              onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/sign-in') })}
            >
              {t('shell.signOut')}
            </Button>
          </Group>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
