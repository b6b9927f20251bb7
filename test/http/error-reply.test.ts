import { describe, expect, it } from 'vitest';
import { errorToReply } from '../../src/http/error-reply.js';

describe('mapping failures to answers', () => {
  it.each(['ECONNREFUSED', '57P01', '53300', 'SQLITE_BUSY'])('answers 503 LR_ERR_UNAVAILABLE when the database fails with %s, so callers retry', (code) => {
    const error = Object.assign(new Error('database down'), { code });
    expect(errorToReply(error)).toMatchObject({ status: 503, body: { error: { code: 'LR_ERR_UNAVAILABLE' } } });
  });

  it.each(['Connection terminated unexpectedly', 'Client has encountered a connection error and is not queryable', 'timeout exceeded when trying to connect'])(
    'answers 503 LR_ERR_UNAVAILABLE when pg loses its connection without a code (%s)',
    (message) => {
      expect(errorToReply(new Error(message))).toMatchObject({ status: 503, body: { error: { code: 'LR_ERR_UNAVAILABLE' } } });
    },
  );

  it.each(['SQLITE_FULL', '53100', 'ENOSPC'])('answers 503 LR_ERR_STORAGE_FULL when the disk is full (%s), saying so', (code) => {
    const reply = errorToReply(Object.assign(new Error('database or disk is full'), { code }));
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'LR_ERR_STORAGE_FULL' } } });
    expect(reply.body.error.message).toMatch(/disk is full/);
  });

  it('answers 500 LR_ERR_INTERNAL for an unexpected fault, without its message', () => {
    const reply = errorToReply(new TypeError('x is undefined'));
    expect(reply.status).toBe(500);
    expect(reply.body.error.code).toBe('LR_ERR_INTERNAL');
    expect(reply.body.error.message).not.toMatch(/undefined/);
  });
});
