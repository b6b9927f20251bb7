import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `import('./console/rules?lang=ru')` (web/src/i18n/areas.ts): one language of a catalogue file that holds
 * both side by side (`export const rules = { ru: {...}, en: {...} }`), as that module's default export, so
 * a screen fetches its texts in the active language only.
 */
function oneLanguage(): Plugin {
  return {
    name: 'leadrouter-one-language',
    transform(code, id) {
      const language = /\/src\/i18n\/[^?]+\?lang=(ru|en)$/.exec(id)?.[1];
      if (!language) return null;
      for (const node of this.parse(code).body) {
        if (node.type !== 'ExportNamedDeclaration' || node.declaration?.type !== 'VariableDeclaration') continue;
        const catalogue = node.declaration.declarations[0]?.init;
        if (catalogue?.type !== 'ObjectExpression') continue;
        for (const property of catalogue.properties) {
          if (property.type === 'Property' && property.key.type === 'Identifier' && property.key.name === language) {
            return { code: `export default ${code.slice(property.value.start, property.value.end)};\n`, map: null };
          }
        }
      }
      return this.error(`${id}: no exported { ${language}: {...} } catalogue`);
    },
  };
}

// The browser app, built to web/dist and served by the leadrouter server at `/`.
// `@core` is the server's pure domain logic (src/core), shared so that the SLA countdown
// counts business hours exactly as the server's SLA clock does.
export default defineConfig({
  root: here('.'),
  plugins: [react(), oneLanguage()],
  resolve: { alias: { '@core': here('../src/core'), '@': here('./src') } },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    // Every hashed file lives under /assets/ and is cached for a year by the server.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
