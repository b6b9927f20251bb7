import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '@/features/session/RequireSession';
import { SignInPage } from '@/features/session/SignInPage';
import { useCurrentUser } from '@/features/session/use-session';
import { AppLayout } from '@/features/shell/AppLayout';
import { homePathFor } from '@/features/shell/navigation';
import type { Area } from '@/i18n/areas';
import { loadTexts } from '@/i18n';
import { NotFoundPage } from './NotFoundPage';

/** A screen's code and its catalogues (web/src/i18n/areas.ts) arrive together, so it never shows raw keys. */
async function withTexts<T>(page: Promise<T>, ...areas: Area[]): Promise<T> {
  const [module] = await Promise.all([page, loadTexts(areas)]);
  return module;
}

// Each area is its own chunk, with its texts: a manager's first load carries no team or chart code and no console texts.
const LeadsPage = lazy(async () => ({ default: (await withTexts(import('@/features/leads/LeadsPage'), 'originator', 'bonus', 'motivation')).LeadsPage }));
const LeadPage = lazy(async () => ({ default: (await withTexts(import('@/features/leads/LeadPage'), 'originator', 'bonus')).LeadPage }));
const TasksPage = lazy(async () => ({ default: (await import('@/features/leads/TasksPage')).TasksPage }));
const PoolPage = lazy(async () => ({ default: (await import('@/features/pool/PoolPage')).PoolPage }));
const QualificationPage = lazy(async () => ({ default: (await withTexts(import('@/features/qualification/QualificationPage'), 'originator')).QualificationPage }));
const TeamBoardPage = lazy(async () => ({ default: (await withTexts(import('@/features/team/TeamBoardPage'), 'people')).TeamBoardPage }));
const TransfersPage = lazy(async () => ({ default: (await import('@/features/team/TransfersPage')).TransfersPage }));
const ReportsPage = lazy(async () => ({ default: (await withTexts(import('@/features/reports/ReportsPage'), 'reports', 'rules', 'sourceHealth')).ReportsPage }));
const SetupPage = lazy(async () => ({ default: (await import('@/features/setup/SetupPage')).SetupPage }));
const MotivationPage = lazy(async () => ({ default: (await withTexts(import('@/features/motivation/MotivationPage'), 'motivation')).MotivationPage }));
const BonusesPage = lazy(async () => ({ default: (await withTexts(import('@/features/bonus/BonusesPage'), 'bonus')).BonusesPage }));
const SimulationPage = lazy(async () => ({ default: (await import('@/features/simulation/SimulationPage')).SimulationPage }));
const RulesPage = lazy(async () => ({ default: (await withTexts(import('@/features/rules/RulesPage'), 'rules')).RulesPage }));
const PeoplePage = lazy(async () => ({ default: (await withTexts(import('@/features/people/PeoplePage'), 'people', 'originator')).PeoplePage }));
const SlaPage = lazy(async () => ({ default: (await withTexts(import('@/features/sla/SlaPage'), 'slaSettings')).SlaPage }));
const CataloguesPage = lazy(async () => ({ default: (await withTexts(import('@/features/catalogues/CataloguesPage'), 'catalogues', 'bonus')).CataloguesPage }));
const ApiKeysPage = lazy(async () => ({ default: (await withTexts(import('@/features/api-keys/ApiKeysPage'), 'apiKeys')).ApiKeysPage }));
const WebhooksPage = lazy(async () => ({ default: (await withTexts(import('@/features/webhooks/WebhooksPage'), 'webhooks')).WebhooksPage }));
const IntegrationsPage = lazy(async () => ({ default: (await withTexts(import('@/features/integrations/IntegrationsPage'), 'integrations')).IntegrationsPage }));
const FormsPage = lazy(async () => ({ default: (await withTexts(import('@/features/forms/FormsPage'), 'forms')).FormsPage }));
const ImportsPage = lazy(async () => ({ default: (await withTexts(import('@/features/imports/ImportsPage'), 'imports')).ImportsPage }));
const ImportJobPage = lazy(async () => ({ default: (await withTexts(import('@/features/imports/ImportJobPage'), 'imports')).ImportJobPage }));
const AuditPage = lazy(async () => ({ default: (await withTexts(import('@/features/audit/AuditPage'), 'audit')).AuditPage }));
const ClientsPage = lazy(async () => ({ default: (await withTexts(import('@/features/clients/ClientsPage'), 'clients', 'clientSplit')).ClientsPage }));
const CompanyPage = lazy(async () => ({ default: (await withTexts(import('@/features/clients/CompanyPage'), 'clients')).CompanyPage }));
const ContactPage = lazy(async () => ({ default: (await withTexts(import('@/features/clients/ContactPage'), 'clients')).ContactPage }));
const ClientSplitPage = lazy(async () => ({ default: (await withTexts(import('@/features/clients/ClientSplitPage'), 'clientSplit')).ClientSplitPage }));
const NotificationsPage = lazy(async () => ({ default: (await import('@/features/notifications/NotificationsPage')).NotificationsPage }));

function Home() {
  const user = useCurrentUser();
  return <Navigate to={homePathFor(user.role)} replace />;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/setup', element: <SetupPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'leads', element: <LeadsPage /> },
      { path: 'leads/:id', element: <LeadPage /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'clients', element: <ClientsPage /> },
      { path: 'clients/split', element: <ClientSplitPage /> },
      { path: 'clients/companies/:id', element: <CompanyPage /> },
      { path: 'clients/contacts/:id', element: <ContactPage /> },
      { path: 'pool', element: <PoolPage /> },
      { path: 'qualification', element: <QualificationPage /> },
      { path: 'team', element: <TeamBoardPage /> },
      { path: 'transfers', element: <TransfersPage /> },
      { path: 'reports', element: <ReportsPage /> },
      { path: 'motivation', element: <MotivationPage /> },
      { path: 'bonuses', element: <BonusesPage /> },
      { path: 'simulation', element: <SimulationPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'settings/rules', element: <RulesPage /> },
      { path: 'settings/rules/:version', element: <RulesPage /> },
      { path: 'settings/people', element: <PeoplePage /> },
      { path: 'settings/sla', element: <SlaPage /> },
      { path: 'settings/catalogues', element: <CataloguesPage /> },
      { path: 'settings/api-keys', element: <ApiKeysPage /> },
      { path: 'settings/webhooks', element: <WebhooksPage /> },
      { path: 'settings/integrations', element: <IntegrationsPage /> },
      { path: 'settings/forms', element: <FormsPage /> },
      { path: 'settings/imports', element: <ImportsPage /> },
      { path: 'settings/imports/:id', element: <ImportJobPage /> },
      { path: 'settings/audit', element: <AuditPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
