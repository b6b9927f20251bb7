import { Anchor, Badge, Card, Drawer, Grid, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { ClientActivity } from './ClientActivity';
import { ClientDetail, ClientHeader } from './ClientHeader';
import { useCompanyCard } from './clients-api';
import { CompanyForm } from './CompanyForm';
import { MergeDialog } from './MergeDialog';
import { OwnerSection } from './OwnerSection';
import { useClientCard } from './use-client-card';

/** A company card: details, owner with history, holding and subsidiaries, contacts, leads, deals and history. */
export function CompanyPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'admin', 'head');
  const card = useCompanyCard(id);
  const state = useClientCard();
  if (card.error) return <ErrorState error={card.error} />;
  if (!card.data) return <PageLoader />;
  const { company, subsidiaries, contacts, ownerHistory } = card.data;

  return (
    <Stack>
      <ClientHeader
        backTo="/clients"
        title={company.name}
        titleTestId="company-name"
        subtitle={company.parent && (
          <>
            {t('clients.card.holding')}: <Anchor component={Link} to={`/clients/companies/${company.parent.id}`} size="sm">{company.parent.name}</Anchor>
          </>
        )}
        canEdit={canEdit}
        {...state.header}
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Card withBorder>
              <Title order={4} mb="xs">{t('clients.card.details')}</Title>
              <SimpleGrid cols={2} spacing="xs">
                <ClientDetail label={t('clients.fields.taxId')} value={company.taxId} />
                <ClientDetail label={t('clients.fields.domain')} value={company.domain} />
                <ClientDetail label={t('clients.fields.phones')} value={company.phones.length ? company.phones.join(', ') : null} />
                <ClientDetail label={t('clients.fields.region')} value={company.region} />
                <ClientDetail label={t('clients.fields.industry')} value={company.industry} />
                <ClientDetail label={t('clients.fields.size')} value={company.size} />
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
      <Drawer opened={state.editing} onClose={state.guardedClose} position="right" size="lg" title={t('clients.form.editCompany', { name: company.name })}>
        {state.editing && <CompanyForm company={company} onDirtyChange={state.onDirtyChange} onCancel={state.guardedClose} onSaved={state.closeEditor} />}
      </Drawer>
      {state.confirm.modal}
      {state.merging && (
        <MergeDialog
          kind="company"
          id={company.id}
          name={company.name}
          opened
          onClose={state.closeMerge}
          onMerged={state.mergedDone}
        />
      )}
    </Stack>
  );
}
