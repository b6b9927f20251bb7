import { Anchor, Card, Drawer, Grid, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { ClientActivity } from './ClientActivity';
import { ClientDetail, ClientHeader } from './ClientHeader';
import { useContactCard } from './clients-api';
import { ContactForm } from './ContactForm';
import { MergeDialog } from './MergeDialog';
import { OwnerSection } from './OwnerSection';
import { useClientCard } from './use-client-card';

/** A contact card: the person's details, company, owner with history, leads, deals and history. */
export function ContactPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'admin', 'head');
  const card = useContactCard(id);
  const state = useClientCard();
  if (card.error) return <ErrorState error={card.error} />;
  if (!card.data) return <PageLoader />;
  const { contact, ownerHistory } = card.data;
  const name = contact.name ?? contact.emails[0] ?? contact.phones[0] ?? contact.id;
  return (
    <Stack>
      <ClientHeader
        backTo="/clients?tab=contacts"
        title={name}
        titleTestId="contact-name"
        subtitle={
          <>
            {contact.company ? <Anchor component={Link} to={`/clients/companies/${contact.company.id}`} size="sm">{contact.company.name}</Anchor> : t('clients.card.noCompany')}
            {contact.position ? ` · ${contact.position}` : ''}
          </>
        }
        canEdit={canEdit}
        {...state.header}
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Card withBorder>
              <Title order={4} mb="xs">{t('clients.card.details')}</Title>
              <SimpleGrid cols={1} spacing="xs">
                <ClientDetail label={t('clients.fields.phones')} value={contact.phones.length ? contact.phones.join(', ') : null} />
                <ClientDetail label={t('clients.fields.emails')} value={contact.emails.length ? contact.emails.join(', ') : null} />
              </SimpleGrid>
              {contact.note && <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>{contact.note}</Text>}
            </Card>
            <OwnerSection kind="contact" id={contact.id} owner={contact.owner} history={ownerHistory} canEdit={canEdit} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <ClientActivity kind="contact" id={contact.id} />
          </Card>
        </Grid.Col>
      </Grid>
      <Drawer opened={state.editing} onClose={state.guardedClose} position="right" size="lg" title={t('clients.form.editContact', { name })}>
        {state.editing && <ContactForm contact={contact} onDirtyChange={state.onDirtyChange} onCancel={state.guardedClose} onSaved={state.closeEditor} />}
      </Drawer>
      {state.confirm.modal}
      {state.merging && (
        <MergeDialog
          kind="contact"
          id={contact.id}
          name={name}
          opened
          onClose={state.closeMerge}
          onMerged={state.mergedDone}
        />
      )}
    </Stack>
  );
}
