import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en, ru } from '../../web/src/i18n/all.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

const flat = (tree: object): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (node: object, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object' && value !== null) walk(value, `${prefix}${key}.`);
      else out.set(`${prefix}${key}`, String(value));
    }
  };
  walk(tree, '');
  return out;
};

describe('the ru and en catalogues', () => {
  it('have the same keys, plural forms aside', () => {
    const base = (list: string[]) => [...new Set(list.map((k) => k.replace(PLURAL, '')))].sort();
    expect(base(keys(en))).toEqual(base(keys(ru)));
  });

  it('give Russian plurals every form Russian needs, and English one and other', () => {
    const ruKeys = keys(ru);
    const enKeys = keys(en);
    for (const plural of new Set(ruKeys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))) {
      for (const form of ['one', 'few', 'many', 'other']) expect(ruKeys, `${plural}_${form} in ru`).toContain(`${plural}_${form}`);
      for (const form of ['one', 'other']) expect(enKeys, `${plural}_${form} in en`).toContain(`${plural}_${form}`);
    }
  });

  it('use the same {{placeholders}} in both languages', () => {
    const ruFlat = flat(ru);
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of flat(en)) {
      const ruText = ruFlat.get(key) ?? ruFlat.get(key.replace(PLURAL, '_other'));
      if (ruText === undefined) continue;
      expect(placeholders(text), key).toEqual(placeholders(ruText));
    }
  });

  it('hold every key the app asks for', () => {
    const webSrc = fileURLToPath(new URL('../../web/src', import.meta.url));
    const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : /\.tsx?$/.test(name) ? [join(dir, name)] : []));
    const known = new Set(keys(ru).map((k) => k.replace(PLURAL, '')));
    const missing: string[] = [];
    for (const file of files(webSrc)) {
      // Literal keys only: t('a.b'); template keys are checked by the compiler against ru.ts.
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z]+(?:\.[a-zA-Z_]+)+)'/g)) {
        if (!known.has(match[1] as string)) missing.push(`${match[1]} (${file.slice(webSrc.length + 1)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
