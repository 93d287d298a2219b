import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../bff/observability/logger';

/** An ERP answer for one payer with every kind of personal data the portal must keep out of its logs. */
export const PAYER = {
  id: '52123456',
  typed: '52.123.456',
  name: 'Laura Gómez',
  email: 'laura.gomez@example.co',
  phone: '+57 300 123 4567',
} as const;

export const erpBody = {
  payments: [
    {
      recauda_information: {
        description: 'Factura FE-1043',
        amount: '50000',
        currency_type: 'COP',
        id_number: PAYER.id,
        payer_name: PAYER.name,
        ref_payment: 'FE-1043',
        advance: { type: 'Porcentaje Minimo', value: 30 },
      },
      advanced_options: { limit_date: '2025-03-20' },
    },
    {
      recauda_information: {
        description: 'Cuota de administración marzo',
        amount: 20000,
        currency_type: 'COP',
        id_number: PAYER.id,
        payer_name: PAYER.name,
        ref_payment: 'ADM-03',
      },
      advanced_options: null,
    },
  ],
};

/** A real pino logger (createLogger: same redaction as production) writing into memory. */
export function memoryLogger(level = 'trace'): {
  logger: Logger;
  text: () => string;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
