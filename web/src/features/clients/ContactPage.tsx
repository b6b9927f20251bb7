import { Alert, Anchor, Button, Card, Drawer, Grid, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { PageLoader } from '@/ui/PageLoader';
import { useDiscardConfirm } from '@/ui/use-discard-confirm';
import { ClientActivity } from './ClientActivity';
import { useContactCard } from './clients-api';
import { ContactForm } from './ContactForm';
import { MergeDialog } from './MergeDialog';
import { OwnerSection } from './OwnerSection';

/** A contact card: the person's details, company, owner with history, leads, deals and history. */
export function ContactPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'admin', 'head');
  const card = useContactCard(id);
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
  const { contact, ownerHistory } = card.data;
  const name = contact.name ?? contact.emails[0] ?? contact.phones[0] ?? contact.id;
  const detail = (label: string, value: ReactNode) => (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value ?? <Text span c="dimmed" size="sm">{t('clients.card.notSet')}</Text>}</Text>
    </div>
  );
  return (
    <Stack>
      <Anchor component={Link} to="/clients?tab=contacts" size="sm">← {t('clients.card.back')}</Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} data-testid="contact-name">{name}</Title>
          <Text size="sm" c="dimmed">
            {contact.company ? <Anchor component={Link} to={`/clients/companies/${contact.company.id}`} size="sm">{contact.company.name}</Anchor> : t('clients.card.noCompany')}
            {contact.position ? ` · ${contact.position}` : ''}
          </Text>
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
              <SimpleGrid cols={1} spacing="xs">
                {detail(t('clients.fields.phones'), contact.phones.length ? contact.phones.join(', ') : null)}
                {detail(t('clients.fields.emails'), contact.emails.length ? contact.emails.join(', ') : null)}
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
      <Drawer opened={editing} onClose={() => confirm.guard(closeEditor)} position="right" size="lg" title={t('clients.form.editContact', { name })}>
        {editing && <ContactForm contact={contact} onDirtyChange={onDirtyChange} onCancel={() => confirm.guard(closeEditor)} onSaved={closeEditor} />}
      </Drawer>
      {confirm.modal}
      {merging && (
        <MergeDialog
          kind="contact"
          id={contact.id}
          name={name}
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
