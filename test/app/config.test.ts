import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.js';

describe('INTAKE_THREAD', () => {
  it('defaults to auto (the intake thread on PostgreSQL only) and reads true and false', () => {
    expect(loadConfig({}).intakeThread).toBe('auto');
    expect(loadConfig({ INTAKE_THREAD: 'true' }).intakeThread).toBe('on');
    expect(loadConfig({ INTAKE_THREAD: 'false' }).intakeThread).toBe('off');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ INTAKE_THREAD: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ INTAKE_THREAD: 'yes' })).toThrow(/INTAKE_THREAD/);
  });
});
