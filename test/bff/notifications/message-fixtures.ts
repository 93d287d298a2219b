import type { ReceiptMessage, StatementMessage } from '../../../bff/notifications/messages/models';

export const BRAND = { merchantName: 'Tienda Demo S.A.S.', color: '#0b5cad', logoUrl: null };

export function statementModel(overrides: Partial<StatementMessage> = {}): StatementMessage {
  return {
    kind: 'statement',
    brand: BRAND,
    locale: 'es-CO',
    maskedName: 'Se******* To****',
    asOf: '2026-11-27',
    items: [
      {
        ref: 'FE-1043',
        description: 'Factura FE-1043',
        references: ['Contrato C-77'],
        limitDate: '2026-12-05',
        currency: 'COP',
        due: '125000',
        minimum: '10000',
        blockedReason: null,
        payUrl: 'https://pagos.example.co/demo/s/TOKEN-FE-1043',
      },
      {
        ref: 'FE-2001',
        description: 'Cuota de manejo',
        references: [],
        limitDate: null,
        currency: 'COP',
        due: '8000',
        minimum: '10000',
        blockedReason: 'below_minimum',
        payUrl: null,
      },
    ],
    totals: [{ currency: 'COP', amount: '125000' }],
    statementUrl: 'https://pagos.example.co/demo/s/TOKEN-ALL',
    ...overrides,
  };
}

export function receiptModel(overrides: Partial<ReceiptMessage> = {}): ReceiptMessage {
  return {
    kind: 'receipt',
    brand: BRAND,
    locale: 'es-CO',
    maskedName: null,
    reference: 'SLD-abc',
    payuReference: '845612378',
    paidOn: '2026-11-27',
    currency: 'COP',
    total: '20000',
    items: [{ ref: 'FE-1', description: 'Factura FE-1', amount: '20000' }],
    url: 'https://pagos.example.co/demo/pay/result/SLD-abc',
    ...overrides,
  };
}
