import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n';
import { App } from './app/App';

const root = document.getElementById('root');
// The first paint waits for the active language's catalogue, so no screen ever shows raw keys.
if (root) void i18nReady.finally(() => createRoot(root).render(<StrictMode><App /></StrictMode>));
