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
const SimulationPage = lazy(async () => ({ default: (await import('@/features/simulation/SimulationPage')).SimulationPage }));
const NotificationsPage = lazy(async () => ({ default: (await import('@/features/notifications/NotificationsPage')).NotificationsPage }));

function Home() {
  const user = useCurrentUser();
  return <Navigate to={homePathFor(user.role)} replace />;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
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
      { path: 'pool', element: <PoolPage /> },
      { path: 'qualification', element: <QualificationPage /> },
      { path: 'team', element: <TeamBoardPage /> },
      { path: 'transfers', element: <TransfersPage /> },
      { path: 'simulation', element: <SimulationPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
