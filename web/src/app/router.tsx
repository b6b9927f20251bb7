import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '@/features/session/RequireSession';
import { SignInPage } from '@/features/session/SignInPage';
import { useCurrentUser } from '@/features/session/use-session';
import { AppLayout } from '@/features/shell/AppLayout';
import { homePathFor } from '@/features/shell/navigation';
import { NotFoundPage } from './NotFoundPage';

// Each area is its own chunk: a manager's first load carries no team or chart code.
const LeadsPage = lazy(async () => ({ default: (await import('@/features/leads/LeadsPage')).LeadsPage }));
const LeadPage = lazy(async () => ({ default: (await import('@/features/leads/LeadPage')).LeadPage }));
const TasksPage = lazy(async () => ({ default: (await import('@/features/leads/TasksPage')).TasksPage }));
const PoolPage = lazy(async () => ({ default: (await import('@/features/pool/PoolPage')).PoolPage }));
const QualificationPage = lazy(async () => ({ default: (await import('@/features/qualification/QualificationPage')).QualificationPage }));
const TeamBoardPage = lazy(async () => ({ default: (await import('@/features/team/TeamBoardPage')).TeamBoardPage }));
const TransfersPage = lazy(async () => ({ default: (await import('@/features/team/TransfersPage')).TransfersPage }));
const ReportsPage = lazy(async () => ({ default: (await import('@/features/reports/ReportsPage')).ReportsPage }));
const SetupPage = lazy(async () => ({ default: (await import('@/features/setup/SetupPage')).SetupPage }));
const MotivationPage = lazy(async () => ({ default: (await import('@/features/motivation/MotivationPage')).MotivationPage }));
const BonusesPage = lazy(async () => ({ default: (await import('@/features/bonus/BonusesPage')).BonusesPage }));
const SimulationPage = lazy(async () => ({ default: (await import('@/features/simulation/SimulationPage')).SimulationPage }));
const RulesPage = lazy(async () => ({ default: (await import('@/features/rules/RulesPage')).RulesPage }));
const PeoplePage = lazy(async () => ({ default: (await import('@/features/people/PeoplePage')).PeoplePage }));
const SlaPage = lazy(async () => ({ default: (await import('@/features/sla/SlaPage')).SlaPage }));
const CataloguesPage = lazy(async () => ({ default: (await import('@/features/catalogues/CataloguesPage')).CataloguesPage }));
const ApiKeysPage = lazy(async () => ({ default: (await import('@/features/api-keys/ApiKeysPage')).ApiKeysPage }));
const WebhooksPage = lazy(async () => ({ default: (await import('@/features/webhooks/WebhooksPage')).WebhooksPage }));
const IntegrationsPage = lazy(async () => ({ default: (await import('@/features/integrations/IntegrationsPage')).IntegrationsPage }));
const FormsPage = lazy(async () => ({ default: (await import('@/features/forms/FormsPage')).FormsPage }));
const ImportsPage = lazy(async () => ({ default: (await import('@/features/imports/ImportsPage')).ImportsPage }));
const ImportJobPage = lazy(async () => ({ default: (await import('@/features/imports/ImportJobPage')).ImportJobPage }));
const AuditPage = lazy(async () => ({ default: (await import('@/features/audit/AuditPage')).AuditPage }));
const ClientsPage = lazy(async () => ({ default: (await import('@/features/clients/ClientsPage')).ClientsPage }));
const CompanyPage = lazy(async () => ({ default: (await import('@/features/clients/CompanyPage')).CompanyPage }));
const ContactPage = lazy(async () => ({ default: (await import('@/features/clients/ContactPage')).ContactPage }));
const ClientSplitPage = lazy(async () => ({ default: (await import('@/features/clients/ClientSplitPage')).ClientSplitPage }));
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
