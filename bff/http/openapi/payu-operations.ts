import { confirmationFormSchema } from '../../payu/confirmation';
import { responsePageQuerySchema } from '../../payu/response-page';
import { confirmationExample, responsePageExample } from './examples';
import { queryParameters, type ApiOperation } from './operation';
import { merchantIdParameter } from './payer-operations';

/**
 * PayU's callbacks. Not for merchants: PayU calls them, with the URLs the checkout form gave it. They carry
 * no credential; each request is authenticated by its PayU signature (docs/spec/payu-webcheckout.md).
 */
export const payuOperations: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/payu/{merchantId}/confirmation',
    operationId: 'receivePayuConfirmation',
    summary: "PayU's confirmation (confirmationUrl): records the payment's result",
    description:
      'Called by PayU, server to server, until it gets a 200. The only request that changes a payment: ' +
      'verified by its signature and matched against the recorded checkout, applied exactly once (a repeat ' +
      'answers 200 and changes nothing).',
    tag: 'PayU callbacks',
    access: 'payu',
    parameters: [merchantIdParameter],
    request: {
      schema: confirmationFormSchema,
      contentType: 'application/x-www-form-urlencoded',
      example: confirmationExample,
    },
    responses: {
      200: {
        description: 'Recorded, or already recorded',
        body: { schema: { type: 'string', const: 'OK' }, contentType: 'text/plain', example: 'OK' },
      },
    },
    errors: {
      400: ['invalid_request'],
      401: ['invalid_signature'],
      404: ['unknown_merchant', 'not_found'],
      413: ['payload_too_large'],
      422: ['payment_mismatch', 'invalid_request'],
      500: ['internal_error'],
    },
  },
  {
    method: 'get',
    path: '/payu/{merchantId}/response',
    operationId: 'receivePayuResponsePage',
    summary: "PayU's response page (responseUrl): sends the payer to the result page",
    description:
      "PayU redirects the payer's browser here. Display only: it never changes a payment; a valid " +
      '"pending" keeps the items held longer. Unreadable queries go back to the merchant\'s portal page.',
    tag: 'PayU callbacks',
    access: 'payu',
    parameters: [merchantIdParameter, ...queryParameters(responsePageQuerySchema, responsePageExample)],
    responses: {
      303: {
        description:
          'To `/{merchantId}/pay/result/{reference}` (with `?payu=<status>` when the signature is valid)',
        headers: {
          Location: {
            description: 'The result page',
            schema: {
              type: 'string',
              example: '/demo/pay/result/SLD-oxrxu9Xe6lSl9H-yfmajUm-v?payu=approved',
            },
          },
        },
      },
    },
    errors: { 404: ['unknown_merchant'], 500: ['internal_error'] },
  },
];
