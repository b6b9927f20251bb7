import { Badge, Button, CopyButton, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Manager, Role } from '@/api/types';
import { useCurrentUser } from '@/features/session/use-session';
import { useFormat } from '@/ui/format';
import { fieldError, FormError } from '@/ui/FormError';
import { temporaryPassword, useCreateUser, useUpdateUser, type PersonUser, type Team } from './people-api';

const ROLES: Role[] = ['admin', 'head', 'manager', 'qualifier'];
const ROLE_COLOR: Record<Role, string> = { admin: 'grape', head: 'blue', manager: 'teal', qualifier: 'orange' };

/** People who sign in (admin): invite with a temporary password shown once, change role, team and profile link, reset the password, deactivate. */
export function UsersSection({ users, teams, managers }: { users: PersonUser[]; teams: Team[]; managers: Manager[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useCurrentUser();
  const update = useUpdateUser();
  const [editing, setEditing] = useState<PersonUser | 'new' | null>(null);
  const [password, setPassword] = useState<{ name: string; email: string; password: string } | null>(null);
  const teamName = (id: string | null) => teams.find((team) => team.id === id)?.name ?? '—';
  const managerName = (id: string | null) => (id ? (managers.find((m) => m.id === id)?.name ?? id) : null);

  const resetPassword = (user: PersonUser) => {
    if (!window.confirm(t('people.users.resetConfirm', { name: user.name }))) return;
    const next = temporaryPassword();
    update.mutate({ id: user.id, password: next }, { onSuccess: () => setPassword({ name: user.name, email: user.email, password: next }) });
  };

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('people.users.title')}</Title>
        <Button size="xs" onClick={() => setEditing('new')}>{t('people.users.invite')}</Button>
      </Group>
      <FormError error={update.error} />
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing={6} highlightOnHover data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.users.person')}</Table.Th>
              <Table.Th>{t('people.users.roleTitle')}</Table.Th>
              <Table.Th>{t('people.users.team')}</Table.Th>
              <Table.Th>{t('people.users.profile')}</Table.Th>
              <Table.Th>{t('people.users.lastLogin')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((user) => (
              <Table.Tr key={user.id} data-testid="user-row" data-user-id={user.id} opacity={user.active ? 1 : 0.55}>
                <Table.Td>
                  <Text size="sm" fw={500}>{user.name}{!user.active && <Badge ml="xs" size="xs" color="gray">{t('people.users.inactive')}</Badge>}</Text>
                  <Text size="xs" c="dimmed">{user.email}</Text>
                </Table.Td>
                <Table.Td><Badge variant="light" color={ROLE_COLOR[user.role]}>{t(`people.users.role.${user.role}`)}</Badge></Table.Td>
                <Table.Td><Text size="sm">{teamName(user.teamId)}</Text></Table.Td>
                <Table.Td><Text size="sm" c={user.managerId ? undefined : 'dimmed'}>{managerName(user.managerId) ?? t('people.users.noProfile')}</Text></Table.Td>
                <Table.Td><Text size="sm" c="dimmed">{user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t('people.users.never')}</Text></Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" onClick={() => setEditing(user)}>{t('people.edit')}</Button>
                    <Button size="compact-xs" variant="subtle" disabled={!user.active} onClick={() => resetPassword(user)}>{t('people.users.resetPassword')}</Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color={user.active ? 'red' : 'teal'}
                      disabled={user.id === me.id}
                      onClick={() => {
                        if (!user.active || window.confirm(t('people.users.deactivateConfirm', { name: user.name }))) update.mutate({ id: user.id, active: !user.active });
                      }}
                    >
                      {user.active ? t('people.users.deactivate') : t('people.users.activate')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('people.users.invite') : t('people.users.editTitle', { name: editing?.name ?? '' })} size="lg">
        {editing !== null && (
          <UserForm
            user={editing === 'new' ? null : editing}
            teams={teams}
            managers={managers}
            users={users}
            isMe={editing !== 'new' && editing.id === me.id}
            onDone={(created) => {
              setEditing(null);
              if (created) setPassword(created);
            }}
          />
        )}
      </Modal>
      <Modal opened={password !== null} onClose={() => setPassword(null)} title={t('people.users.passwordTitle')} closeOnClickOutside={false}>
        {password && (
          <Stack gap="sm" data-testid="temporary-password">
            <Text size="sm">{t('people.users.passwordText', { name: password.name, email: password.email })}</Text>
            <Group gap="xs">
              <Text ff="monospace" fw={700} size="lg" data-testid="password-value">{password.password}</Text>
              <CopyButton value={password.password}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? t('people.users.copied') : t('people.users.copy')}</Button>}</CopyButton>
            </Group>
            <Text size="xs" c="dimmed">{t('people.users.passwordOnce')}</Text>
            <Group justify="flex-end"><Button onClick={() => setPassword(null)}>{t('people.users.passwordDone')}</Button></Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}

function UserForm({ user, teams, managers, users, isMe, onDone }: {
  user: PersonUser | null;
  /** The signed-in admin's own entry: the role stays (the server refuses an own role change). */
  isMe: boolean;
  teams: Team[];
  managers: Manager[];
  users: PersonUser[];
  onDone(created: { name: string; email: string; password: string } | null): void;
}) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'manager');
  const [teamId, setTeamId] = useState<string | null>(user?.teamId ?? null);
  const [managerId, setManagerId] = useState<string | null>(user?.managerId ?? null);
  const error = user ? update.error : create.error;
  const linked = new Set(users.filter((u) => u.managerId && u.id !== user?.id).map((u) => u.managerId));
  const profiles = managers.filter((m) => !linked.has(m.id));

  const chooseProfile = (id: string | null) => {
    setManagerId(id);
    const profile = managers.find((m) => m.id === id);
    if (profile && !teamId) setTeamId(profile.teamId);
    if (profile && !name.trim()) setName(profile.name);
    if (profile?.email && !email.trim()) setEmail(profile.email);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (user) {
      update.mutate({ id: user.id, name: name.trim(), role, teamId, managerId }, { onSuccess: () => onDone(null) });
    } else {
      const password = temporaryPassword();
      create.mutate({ name: name.trim(), email: email.trim(), role, teamId, managerId, password }, { onSuccess: () => onDone({ name: name.trim(), email: email.trim(), password }) });
    }
  };

  return (
    <form onSubmit={submit} data-testid="user-form">
      <Stack gap="sm">
        <Select label={t('people.users.profile')} description={t('people.users.profileHint')} searchable clearable placeholder={t('people.users.noProfile')} value={managerId} onChange={chooseProfile} data={profiles.map((m) => ({ value: m.id, label: m.name }))} error={fieldError(error, 'managerId')} />
        <TextInput label={t('people.users.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} />
        <TextInput label={t('people.users.email')} type="email" required disabled={user !== null} value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(error, 'email')} />
        <Group grow align="flex-start">
          <Select label={t('people.users.roleTitle')} allowDeselect={false} disabled={isMe} description={isMe ? t('people.users.ownRoleLocked') : undefined} value={role} onChange={(v) => setRole((v as Role | null) ?? role)} data={ROLES.map((r) => ({ value: r, label: t(`people.users.role.${r}`) }))} error={fieldError(error, 'role')} />
          <Select label={t('people.users.team')} clearable placeholder="—" value={teamId} onChange={setTeamId} data={teams.map((team) => ({ value: team.id, label: team.name }))} error={fieldError(error, 'teamId')} />
        </Group>
        <Text size="xs" c="dimmed">{t(`people.users.roleHint.${role}`)}</Text>
        {user && role !== user.role && <Text size="xs" c="orange">{t('people.users.signOutNote')}</Text>}
        <FormError error={error} fields={['name', 'email', 'role', 'teamId', 'managerId']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(null)}>{t('common.cancel')}</Button>
          <Button type="submit" loading={create.isPending || update.isPending} disabled={!name.trim() || !email.trim() || (role === 'head' && !teamId)}>
            {user ? t('common.save') : t('people.users.createAndShow')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
