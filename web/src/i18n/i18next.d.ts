import 'i18next';
import type { ru } from './all';

// Keys are checked at compile time against the Russian catalogue; test/web/i18n-catalogues.test.ts
// checks that English has exactly the same keys (plural forms aside).
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof ru };
  }
}
