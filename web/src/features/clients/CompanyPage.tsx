import { Alert, Anchor, Badge, Button, Card, Drawer, Grid, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { ClientActivity } from './ClientActivity';
import { useCompanyCard } from './clients-api';
import { CompanyForm } from './CompanyForm';
import { MergeDialog } from './MergeDialog';
import { OwnerSection } from './OwnerSection';

/** A company card: details, owner with history, holding and subsidiaries, contacts, leads, deals and history. */
export function CompanyPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'admin', 'head');
  const card = useCompanyCard(id);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);
  const confirm = useDiscardConfirm(dirty);
  const closeEditor = () => {
    setDirty(false);
    setEditing(false);
  };
  if (card.error) return <ErrorState error={card.error} />;
  if (!card.data) return <PageLoader />;
  const { company, subsidiaries, contacts, ownerHistory } = card.data;
  const detail = (label: string, value: ReactNode) => (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value ?? <Text span c="dimmed" size="sm">{t('clients.card.notSet')}</Text>}</Text>
    </div>
  );

  return (
    <Stack>
      <Anchor component={Link} to="/clients" size="sm">← {t('clients.card.back')}</Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} data-testid="company-name">{company.name}</Title>
          {company.parent && (
            <Text size="sm" c="dimmed">
              {t('clients.card.holding')}: <Anchor component={Link} to={`/clients/companies/${company.parent.id}`} size="sm">{company.parent.name}</Anchor>
            </Text>
          )}
        </div>
        {canEdit && (
          <Group>
            <Button variant="default" onClick={() => setEditing(true)}>{t('clients.card.edit')}</Button>
            <Button variant="light" color="orange" onClick={() => setMerging(true)}>{t('clients.card.merge')}</Button>
          </Group>
        )}
      </Group>
      {merged !== null && <Alert color="green" withCloseButton onClose={() => setMerged(null)}>{t('clients.merge.done', { count: merged })}</Alert>}
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Card withBorder>
              <Title order={4} mb="xs">{t('clients.card.details')}</Title>
              <SimpleGrid cols={2} spacing="xs">
                {detail(t('clients.fields.taxId'), company.taxId)}
                {detail(t('clients.fields.domain'), company.domain)}
                {detail(t('clients.fields.phones'), company.phones.length ? company.phones.join(', ') : null)}
                {detail(t('clients.fields.region'), company.region)}
                {detail(t('clients.fields.industry'), company.industry)}
                {detail(t('clients.fields.size'), company.size)}
              </SimpleGrid>
              {company.note && <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>{company.note}</Text>}
            </Card>
            <OwnerSection kind="company" id={company.id} owner={company.owner} history={ownerHistory} canEdit={canEdit} />
            <Card withBorder>
              <Title order={4} mb="xs">{t('clients.card.subsidiaries')}</Title>
              {subsidiaries.length === 0 ? (
                <Text size="sm" c="dimmed">{t('clients.card.noSubsidiaries')}</Text>
              ) : (
                <Stack gap={4} data-testid="subsidiaries">
                  {subsidiaries.map((s) => (
                    <Group key={s.id} justify="space-between">
                      <Anchor component={Link} to={`/clients/companies/${s.id}`} size="sm">{s.name}</Anchor>
                      <Text size="xs" c="dimmed">{s.owner?.name ?? t('clients.nobody')}</Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
            <Card withBorder>
              <Title order={4} mb="xs">{t('clients.card.contacts')}</Title>
              {contacts.length === 0 ? (
                <Text size="sm" c="dimmed">{t('clients.card.noContacts')}</Text>
              ) : (
                <Stack gap={6} data-testid="company-contacts">
                  {contacts.map((c) => (
                    <div key={c.id}>
                      <Group gap="xs">
                        <Anchor component={Link} to={`/clients/contacts/${c.id}`} size="sm">{c.name ?? c.emails[0] ?? c.phones[0] ?? c.id}</Anchor>
                        {c.position && <Badge size="xs" variant="light">{c.position}</Badge>}
                      </Group>
                      <Text size="xs" c="dimmed">{[...c.phones, ...c.emails].join(' · ')}</Text>
                    </div>
                  ))}
                </Stack>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <ClientActivity kind="company" id={company.id} />
          </Card>
        </Grid.Col>
      </Grid>
      <Drawer opened={editing} onClose={() => confirm.guard(closeEditor)} position="right" size="lg" title={t('clients.form.editCompany', { name: company.name })}>
        {editing && <CompanyForm company={company} onDirtyChange={onDirtyChange} onCancel={() => confirm.guard(closeEditor)} onSaved={closeEditor} />}
      </Drawer>
      {confirm.modal}
      {merging && (
        <MergeDialog
          kind="company"
          id={company.id}
          name={company.name}
          opened
          onClose={() => setMerging(false)}
          onMerged={(leads) => {
            setMerging(false);
            setMerged(leads);
          }}
        />
      )}
    </Stack>
  );
}
