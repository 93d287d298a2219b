import { expect, test } from 'vitest';
import { redactLogObject } from '../../../bff/observability/logger';
import { memoryLogger } from './support';

test('personal fields are censored at the top of a line and one level down, whatever the caller logs', () => {
  const log = memoryLogger('info');
  const input = {
    merchant: 'acme',
    idNumber: '12345678',
    payer: { payerName: 'Camila Rojas', email: 'c@example.co', ref: 'R-1' },
    buyer: { fullName: 'Camila Rojas' },
    headers: { authorization: 'Bearer secret-token', accept: 'application/json' },
    request: { token: 'sealed.link.token', id_number: '900373923', phone: '3001234567' },
    count: 3,
  };
  const before = JSON.stringify(input);
  log.logger.info(input, 'lookup');
  const [line] = log.lines();
  expect(line).toMatchObject({
    msg: 'lookup',
    merchant: 'acme',
    idNumber: '[redacted]',
    payer: { payerName: '[redacted]', email: '[redacted]', ref: 'R-1' },
    buyer: '[redacted]',
    headers: { authorization: '[redacted]', accept: 'application/json' },
    request: { token: '[redacted]', id_number: '[redacted]', phone: '[redacted]' },
    count: 3,
  });
  for (const secret of [
    '12345678',
    'Camila',
    'c@example.co',
    'secret-token',
    'sealed.link',
    '900373923',
    '3001234567',
  ])
    expect(log.text()).not.toContain(secret);
  // The caller's object is never changed: it may be a live value of the app.
  expect(JSON.stringify(input)).toBe(before);
});

test('a line without personal fields is passed through as the same object (nothing copied)', () => {
  const line = {
    merchant: 'acme',
    route: '/api/v1/merchants/:merchantId/lookup',
    status: 200,
    nested: { a: 1 },
  };
  expect(redactLogObject(line)).toBe(line);
  // `authorization` is only censored under `headers`, as the old path list had it.
  const other = { auth: { authorization: 'kept' } };
  expect(redactLogObject(other)).toBe(other);
});
