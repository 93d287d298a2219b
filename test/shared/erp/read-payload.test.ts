import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readErpPayload } from '../../../shared/erp/read-payload';
import { PAYER_ID, erpItem, payment, read, recauda } from '../support/erp';

/** Reads one payment and returns the whole result, to look at skips and warnings. */
function readOne(info: Record<string, unknown> = {}, options: Record<string, unknown> | null = null) {
  return read([payment(info, options)]);
}

describe('the envelope', () => {
  test.each([
    [null],
    ['payments'],
    [42],
    [[]],
    [[{ payments: [] }]],
    [{}],
    [{ data: [] }],
    [{ payments: null }],
    [{ payments: {} }],
    [{ payments: 'x' }],
    [{ Payments: [] }],
  ])('%j is an upstream error (erp_bad_response)', (body) => {
    expect(readErpPayload(body, PAYER_ID)).toEqual({ ok: false, error: 'erp_bad_response' });
  });

  test('an empty payments array is a valid answer with nothing pending', () => {
    expect(readErpPayload({ payments: [] }, PAYER_ID)).toEqual({
      ok: true,
      value: { items: [], skipped: 0, duplicates: 0, skipReasons: {}, warnings: {} },
    });
  });

  test('an entry that is not an object, or lacks recauda_information, is skipped and the rest are shown', () => {
    const result = read([
      null,
      1,
      'x',
      [],
      {},
      { recauda_information: null },
      { recauda_information: [] },
      { recauda_information: 'x' },
      { recaudarecauda_information: recauda({ ref_payment: 'TYPO' }) },
      payment({ ref_payment: 'GOOD' }),
    ]);
    expect(result.items.map((i) => i.ref)).toEqual(['GOOD']);
    expect(result.skipped).toBe(9);
    expect(result.skipReasons).toEqual({ not_an_object: 9 });
  });
});

describe('ref_payment', () => {
  test.each([
    [1234567, '1234567'],
    ['1234567', '1234567'],
    ['  ABC-1  ', 'ABC-1'],
    ['x'.repeat(191), 'x'.repeat(191)],
  ])('%j is read as the string %j', (ref, expected) => {
    expect(erpItem({ ref_payment: ref }).ref).toBe(expected);
  });

  test.each([['x'.repeat(192)], [''], ['   '], [null], [undefined], [{}], [true], [['1']]])(
    '%j makes the item invalid',
    (ref) => {
      const result = readOne({ ref_payment: ref });
      expect(result.items).toEqual([]);
      expect(result.skipped).toBe(1);
      expect(result.skipReasons).toEqual({ invalid_fields: 1 });
    },
  );
});

describe('amount', () => {
  test.each([
    [20000, 'COP', 20000n],
    ['20000', 'COP', 20000n],
    [' 20000 ', 'COP', 20000n],
    ['54000.85', 'COP', 54001n],
    ['54000.49', 'COP', 54000n],
    [54000.5, 'COP', 54001n],
    ['0.5', 'COP', 1n],
    ['25.5', 'USD', 2550n],
    [25.555, 'USD', 2556n],
    ['100.00', 'EUR', 10000n],
    ['999999999999999', 'COP', 999999999999999n],
  ])('%j %s is read as %s minor units', (amount, currency, expected) => {
    expect(erpItem({ amount, currency_type: currency }).amount).toBe(expected);
  });

  test.each([[0], ['0'], ['0.00'], [-1], ['-20000'], ['0.4']])(
    '%j (zero or negative in the currency precision) skips the item',
    (amount) => {
      const result = readOne({ amount });
      expect(result.items).toEqual([]);
      expect(result.skipReasons).toEqual({ invalid_amount: 1 });
    },
  );

  test.each([['abc'], [''], ['1,000'], ['20.000,00'], ['$20000'], ['1234567890123456'], ['1e16']])(
    'the non-numeric or oversized %j skips the item',
    (amount) => {
      const result = readOne({ amount });
      expect(result.items).toEqual([]);
      expect(result.skipped).toBe(1);
    },
  );

  test.each([[null], [undefined], [true], [{}], [[20000]]])('an amount of %j skips the item', (amount) => {
    const result = readOne({ amount });
    expect(result.items).toEqual([]);
    expect(result.skipped).toBe(1);
  });
});

describe('currency_type', () => {
  test.each([
    ['COP', 'COP'],
    ['cop', 'COP'],
    ['Usd', 'USD'],
    [' eur ', 'EUR'],
  ])('%j is read as %s', (currency, expected) => {
    expect(erpItem({ currency_type: currency }).currency).toBe(expected);
  });

  test.each([['MXN'], ['PESOS'], [''], [null], [undefined], [170]])('%j skips the item', (currency) => {
    const result = readOne({ currency_type: currency });
    expect(result.items).toEqual([]);
    expect(result.skipReasons).toEqual({ invalid_fields: 1 });
  });
});

describe('id_number', () => {
  test.each([
    ['12345678'],
    [12345678],
    ['12.345.678'],
    [' 12 345 678 '],
    ['12345678-9'],
    [null],
    [undefined],
  ])('an item stating %j is shown to payer 12345678', (id) => {
    expect(readOne({ id_number: id }).items).toHaveLength(1);
  });

  test.each([['87654321'], [87654321], ['012345678'], ['1234567'], ['123456789'], ['abc'], ['12345678x']])(
    'an item stating %j is never shown to payer 12345678',
    (id) => {
      const result = readOne({ id_number: id });
      expect(result.items).toEqual([]);
      expect(result.skipReasons).toEqual({ other_payer: 1 });
    },
  );

  test('only the items of the asked payer are kept from a mixed answer', () => {
    const result = read([
      payment({ ref_payment: 'MINE-1' }),
      payment({ ref_payment: 'THEIRS', id_number: '99999999' }),
      payment({ ref_payment: 'MINE-2', id_number: 12345678 }),
    ]);
    expect(result.items.map((i) => i.ref)).toEqual(['MINE-1', 'MINE-2']);
    expect(result.skipReasons).toEqual({ other_payer: 1 });
  });
});

describe('description and payer_name', () => {
  test('the description is trimmed', () => {
    expect(erpItem({ description: '  Factura 001  ' }).description).toBe('Factura 001');
  });

  test('a description of exactly 191 characters is accepted', () => {
    expect(erpItem({ description: 'd'.repeat(191) }).description).toHaveLength(191);
  });

  test.each([['d'.repeat(192)], [''], ['   '], [null], [undefined], [123]])(
    'a description of %j skips the item',
    (description) => {
      const result = readOne({ description });
      expect(result.items).toEqual([]);
      expect(result.skipReasons).toEqual({ invalid_fields: 1 });
    },
  );

  test.each([
    ['efipay', 'efipay'],
    ['  Juan Pérez  ', 'Juan Pérez'],
    ['', null],
    ['   ', null],
    [null, null],
    [undefined, null],
    [42, null],
  ])('payer_name %j is read as %j', (name, expected) => {
    expect(erpItem({ payer_name: name }).payerName).toBe(expected);
  });
});

describe('advance', () => {
  test.each([
    [{ type: 'Valor Minimo', value: 5000 }, 5000n],
    [{ type: 'Valor Mínimo', value: 5000 }, 5000n],
    [{ type: 'VALOR MÍNIMO', value: '5000' }, 5000n],
    [{ type: 'valor minimo', value: '5000.5' }, 5001n],
    [{ type: '  Valor   Minimo ', value: 5000 }, 5000n],
  ])('%j is a minimum amount of %s', (advance, value) => {
    expect(erpItem({ advance }).advance).toEqual({ type: 'minimum_amount', value });
  });

  test.each([
    [{ type: 'Porcentaje Minimo', value: 33 }, 33n, 0],
    [{ type: 'Porcentaje Mínimo', value: '33.33' }, 3333n, 2],
    [{ type: 'PORCENTAJE MINIMO', value: 100 }, 100n, 0],
    [{ type: 'porcentaje mínimo', value: 0.5 }, 5n, 1],
  ])('%j is a minimum percentage', (advance, int, scale) => {
    expect(erpItem({ advance }).advance).toEqual({ type: 'minimum_percent', percent: { int, scale } });
  });

  test.each([
    ['Valor Minimo'],
    ['5000'],
    [5000],
    [true],
    [[]],
    [{}],
    [{ type: 'Valor Minimo' }],
    [{ type: 'Valor Minimo', value: 0 }],
    [{ type: 'Valor Minimo', value: -5000 }],
    [{ type: 'Valor Minimo', value: 'cinco mil' }],
    [{ type: 'Porcentaje Minimo', value: 0 }],
    [{ type: 'Porcentaje Minimo', value: 101 }],
    [{ type: 'Porcentaje Minimo', value: '100.01' }],
    [{ type: 'Anticipo', value: 5000 }],
    [{ type: 'ValorMinimo', value: 5000 }],
    [{ value: 5000 }],
  ])('%j means no advance, and the item is still shown', (advance) => {
    const result = readOne({ advance });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.advance).toBeNull();
    expect(result.warnings).toEqual({ advance: 1 });
  });

  test.each([[null], [undefined]])('an absent advance (%j) is no advance and no warning', (advance) => {
    const result = readOne({ advance });
    expect(result.items[0]!.advance).toBeNull();
    expect(result.warnings).toEqual({});
  });
});

describe('metadata', () => {
  test.each([
    [{ data: 'Your additional data here' }],
    [[{ key: 'pedido', value: 'A-1' }, 'x', 1]],
    ['texto'],
    [42],
    [{ nested: { list: [1, 2, { deep: true }] } }],
  ])('%j is passed through as is', (metadata) => {
    expect(erpItem({ metadata }).metadata).toEqual(metadata);
  });

  test('metadata too large to carry to a webhook is dropped and warned, the item stays', () => {
    const metadata = { notes: 'x'.repeat(20_000) };
    const result = read([payment(recauda({ metadata }))]);
    expect(result.items[0]?.metadata).toBeNull();
    expect(result.warnings.metadata).toBe(1);
  });

  test('absent metadata is null', () => {
    expect(erpItem({ metadata: undefined }).metadata).toBeNull();
  });
});

describe('selected_taxes and unknown fields', () => {
  test('are ignored', () => {
    const item = erpItem(
      { selected_taxes: [{ iva: 19 }], something_new: 'x' },
      { unknown_option: true, limit_date: '2025-03-15' },
    );
    expect(item.amount).toBe(20000n);
    expect(item.limitDate).toBe('2025-03-15');
    expect(Object.keys(item)).not.toContain('selected_taxes');
    expect(Object.keys(item)).not.toContain('something_new');
  });
});

describe('advanced_options', () => {
  test('the seed misspelling advanded_options is accepted', () => {
    const body = {
      payments: [
        {
          recauda_information: recauda(),
          advanded_options: { limit_date: '2025-03-15', has_comments: true },
        },
      ],
    };
    const outcome = readErpPayload(body, PAYER_ID);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.value.items[0]).toMatchObject({ limitDate: '2025-03-15', comments: { enabled: true } });
  });

  test('the correct spelling advanced_options is preferred when both are present', () => {
    const body = {
      payments: [
        {
          recauda_information: recauda(),
          advanced_options: { limit_date: '2025-03-15' },
          advanded_options: {
            limit_date: '2025-12-31',
            delivery_service: { type: 'Con Valor', value: 9000 },
          },
        },
      ],
    };
    const outcome = readErpPayload(body, PAYER_ID);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.value.items[0]).toMatchObject({ limitDate: '2025-03-15', delivery: 0n });
  });

  test.each([
    ['null', null],
    ['a string', 'x'],
  ])(
    'advanced_options %s beside a filled advanded_options: the object is read (late fees shown)',
    (_n, bad) => {
      const body = {
        payments: [
          {
            recauda_information: recauda(),
            advanced_options: bad,
            advanded_options: {
              limit_date: '2025-03-01',
              late_fees: {
                condition_type: 'automated',
                type: 'percentage',
                value: 0.02,
                frequency: 3,
                limit: 5,
              },
            },
          },
        ],
      };
      const outcome = readErpPayload(body, PAYER_ID);
      if (!outcome.ok) throw new Error(outcome.error);
      expect(outcome.value.items[0]).toMatchObject({ limitDate: '2025-03-01' });
      expect(outcome.value.items[0]?.lateFees).not.toBeNull();
    },
  );

  test('null or absent options give an item with no options', () => {
    const expected = {
      limitDate: null,
      discount: null,
      delivery: 0n,
      requestAddressDelivery: false,
      references: [],
      picture: null,
      webhookUrl: null,
      comments: { enabled: false, label: null },
      lateFees: null,
      expiration: false,
    };
    expect(erpItem({}, null)).toMatchObject(expected);
    const outcome = readErpPayload({ payments: [{ recauda_information: recauda() }] }, PAYER_ID);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.value.items[0]).toMatchObject(expected);
  });

  test.each([['x'], [42], [[{ limit_date: '2025-03-15' }]], [true]])(
    'options that are not an object (%j) are ignored with a warning and the item is shown',
    (options) => {
      const result = read([{ recauda_information: recauda(), advanced_options: options }]);
      expect(result.items).toHaveLength(1);
      expect(result.items[0]!.limitDate).toBeNull();
      expect(result.warnings).toEqual({ advanced_options: 1 });
    },
  );
});

describe('limit_date', () => {
  test.each([
    ['2025-03-15', '2025-03-15'],
    ['2020-01-01', '2020-01-01'],
    ['2024-02-29', '2024-02-29'],
  ])('%j is read as %s (past dates are allowed)', (limitDate, expected) => {
    expect(erpItem({}, { limit_date: limitDate }).limitDate).toBe(expected);
  });

  test.each([['2025-02-30'], ['15/03/2025'], ['mañana'], [20250315], ['']])(
    '%j is dropped with a warning and the item is shown',
    (limitDate) => {
      const result = readOne({}, { limit_date: limitDate });
      expect(result.items).toHaveLength(1);
      expect(result.items[0]!.limitDate).toBeNull();
      expect(result.warnings).toEqual({ limit_date: 1 });
    },
  );
});

describe('discount', () => {
  test.each([
    [
      { before_on: '2025-03-10', type: 'Porcentaje', value: 10 },
      { type: 'percent', beforeOn: '2025-03-10', percent: { int: 10n, scale: 0 } },
    ],
    [
      { before_on: '2025-03-10', type: 'porcentaje', value: '12.5' },
      { type: 'percent', beforeOn: '2025-03-10', percent: { int: 125n, scale: 1 } },
    ],
    [
      { before_on: '2025-03-10', type: 'Porcentaje', value: 100 },
      { type: 'percent', beforeOn: '2025-03-10', percent: { int: 100n, scale: 0 } },
    ],
    [
      { before_on: '2025-03-09', type: 'Valor', value: 3000 },
      { type: 'amount', beforeOn: '2025-03-09', value: 3000n },
    ],
    [
      { before_on: '2025-03-09', type: 'VALOR', value: '3000.50' },
      { type: 'amount', beforeOn: '2025-03-09', value: 3001n },
    ],
  ])('%j is read', (discount, expected) => {
    expect(erpItem({}, { discount }).discount).toEqual(expected);
  });

  test.each([
    [{ type: 'Porcentaje', value: 10 }],
    [{ before_on: '2025-02-30', type: 'Porcentaje', value: 10 }],
    [{ before_on: 'pronto', type: 'Valor', value: 10 }],
    [{ before_on: '2025-03-10', type: 'Porcentaje', value: 0 }],
    [{ before_on: '2025-03-10', type: 'Porcentaje', value: 101 }],
    [{ before_on: '2025-03-10', type: 'Porcentaje', value: -5 }],
    [{ before_on: '2025-03-10', type: 'Valor', value: 0 }],
    [{ before_on: '2025-03-10', type: 'Valor', value: -3000 }],
    [{ before_on: '2025-03-10', type: 'Valor', value: 'tres mil' }],
    [{ before_on: '2025-03-10', type: 'Regalo', value: 10 }],
    [{ before_on: '2025-03-10', value: 10 }],
    ['10%'],
  ])('the invalid discount %j is ignored and the item stays valid', (discount) => {
    const result = readOne({}, { discount });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.discount).toBeNull();
    expect(result.items[0]!.amount).toBe(20000n);
    expect(result.warnings).toEqual({ discount: 1 });
  });
});

describe('delivery_service', () => {
  test.each([
    [{ type: 'Con Valor', value: 5000 }, 'COP', 5000n],
    [{ type: 'con valor', value: '5000.50' }, 'COP', 5001n],
    [{ type: 'Con Valor', value: '5.5' }, 'USD', 550n],
    [{ type: 'Con Valor', value: 0 }, 'COP', 0n],
    [{ type: 'Gratis', value: 5000 }, 'COP', 0n],
    [{ type: 'GRATIS' }, 'COP', 0n],
    [null, 'COP', 0n],
  ])('%j in %s is a delivery cost of %s', (delivery, currency, expected) => {
    expect(erpItem({ currency_type: currency }, { delivery_service: delivery }).delivery).toBe(expected);
  });

  test.each([
    [{ type: 'Con Valor' }],
    [{ type: 'Con Valor', value: -1 }],
    [{ type: 'Con Valor', value: 'cinco mil' }],
    [{ type: 'Express', value: 5000 }],
    [{ value: 5000 }],
    ['Gratis'],
  ])('the unreadable delivery %j is never guessed: the item is skipped', (delivery) => {
    const result = readOne({}, { delivery_service: delivery });
    expect(result.items).toEqual([]);
    expect(result.skipReasons).toEqual({ invalid_delivery: 1 });
  });

  test.each([
    [true, true],
    [false, false],
    ['true', false],
    [1, false],
    [undefined, false],
  ])('request_address_delivery %j is read as %s', (value, expected) => {
    expect(erpItem({}, { request_address_delivery: value }).requestAddressDelivery).toBe(expected);
  });
});

describe('references', () => {
  test.each([
    [
      ['123456', '323432', '6546456'],
      ['123456', '323432', '6546456'],
    ],
    [
      ['a', 'b', 'c', 'd'],
      ['a', 'b', 'c'],
    ],
    [['  a  '], ['a']],
    [[123456], ['123456']],
    [['r'.repeat(50)], ['r'.repeat(50)]],
    [['r'.repeat(51), 'ok'], ['ok']],
    [['', null, {}, 'ok'], ['ok']],
    [[], []],
  ])('%j are shown as %j', (references, expected) => {
    expect(erpItem({}, { references }).references).toEqual(expected);
  });

  test.each([['123456'], [{ 0: 'a' }], [42]])(
    '%j (not a list) shows no references, with a warning',
    (references) => {
      const result = readOne({}, { references });
      expect(result.items[0]!.references).toEqual([]);
      expect(result.warnings).toEqual({ references: 1 });
    },
  );

  test('never more than 3 references of at most 50 characters', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 60 }), fc.integer())), (references) => {
        const item = erpItem({}, { references });
        expect(item.references.length).toBeLessThanOrEqual(3);
        for (const r of item.references) expect(r.length).toBeLessThanOrEqual(50);
      }),
    );
  });
});

describe('picture', () => {
  const https250 = 'https://efipay.co/' + 'a'.repeat(250 - 'https://efipay.co/'.length);

  test.each([['https://efipay.co/images/logo.svg'], ['HTTPS://efipay.co/images/logo.svg'], [https250]])(
    '%j is shown',
    (picture) => {
      expect(erpItem({}, { picture }).picture).toBe(picture);
    },
  );

  test.each([
    ['http://efipay.co/images/logo.svg'],
    ['javascript:alert(1)'],
    ['data:image/png;base64,AAAA'],
    ['//efipay.co/logo.svg'],
    ['logo.svg'],
    [https250 + 'a'],
    [42],
    [{ url: 'https://efipay.co/logo.svg' }],
  ])('%j is not shown', (picture) => {
    const result = readOne({}, { picture });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.picture).toBeNull();
    expect(result.warnings).toEqual({ picture: 1 });
  });
});

describe('result_urls.webhook', () => {
  test('a URL is kept for the item', () => {
    const webhook = 'https://webhook-test.com/310b715b9704556033c7fe260915cdfd';
    expect(erpItem({}, { result_urls: { webhook } }).webhookUrl).toBe(webhook);
  });

  test.each([
    [{ webhook: 'not a url' }],
    [{ webhook: 'ftp://example.com/x' }],
    [{ webhook: 42 }],
    ['https://x.co'],
  ])('the unusable %j is dropped with a warning and the item is shown', (resultUrls) => {
    const result = readOne({}, { result_urls: resultUrls });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.webhookUrl).toBeNull();
    expect(result.warnings).toEqual({ result_urls: 1 });
  });
});

describe('comments', () => {
  test('has_comments with a label offers a comment box with that label', () => {
    expect(erpItem({}, { has_comments: true, comments_label: '  Deja tus comentarios  ' }).comments).toEqual({
      enabled: true,
      label: 'Deja tus comentarios',
    });
  });

  test.each([
    [true, true],
    [false, false],
    ['true', false],
    [1, false],
    [undefined, false],
  ])('has_comments %j offers a comment box: %s', (hasComments, enabled) => {
    expect(erpItem({}, { has_comments: hasComments }).comments.enabled).toBe(enabled);
  });

  test.each([[''], ['   '], [42], [null]])('a comments_label of %j is no label', (label) => {
    expect(erpItem({}, { has_comments: true, comments_label: label }).comments.label).toBeNull();
  });

  test('a comments label is never longer than 100 characters', () => {
    const label = erpItem({}, { has_comments: true, comments_label: 'c'.repeat(150) }).comments.label;
    expect(label).not.toBeNull();
    expect(label!.length).toBeLessThanOrEqual(100);
    expect(erpItem({}, { has_comments: true, comments_label: 'c'.repeat(100) }).comments.label).toBe(
      'c'.repeat(100),
    );
  });
});

describe('late_fees (portal extension)', () => {
  test('a valid automated policy is kept for the item', () => {
    const policy = { condition_type: 'automated', type: 'percentage', value: 0.02, frequency: 3, limit: 5 };
    expect(erpItem({}, { late_fees: policy }).lateFees).toEqual({ ...policy, value: '0.02' });
  });

  test('a valid fixed policy is kept, with seed 002 AAAA/MM/DD dates normalised', () => {
    const policy = {
      condition_type: 'fixed',
      fixed: [
        { date: '2025/03/02', value: 5000 },
        { date: '2025-03-20', value: '5000' },
      ],
    };
    expect(erpItem({}, { late_fees: policy }).lateFees).toEqual({
      condition_type: 'fixed',
      fixed: [
        { date: '2025-03-02', value: '5000' },
        { date: '2025-03-20', value: '5000' },
      ],
    });
  });

  const automated = { condition_type: 'automated', type: 'amount', value: 1000, frequency: 1, limit: 30 };
  test.each([
    [{ ...automated, frequency: 0 }],
    [{ ...automated, frequency: 31 }],
    [{ ...automated, frequency: 1.5 }],
    [{ ...automated, limit: 0 }],
    [{ ...automated, limit: 31 }],
    [{ ...automated, value: 0 }],
    [{ ...automated, value: -1 }],
    [{ ...automated, value: 'mil' }],
    [{ ...automated, type: 'compound' }],
    [{ ...automated, condition_type: 'daily' }],
    [{ condition_type: 'fixed', fixed: [] }],
    [{ condition_type: 'fixed', fixed: [{ date: '2025-02-30', value: 1000 }] }],
    [{ condition_type: 'fixed', fixed: [{ date: '2025-03-02', value: 0 }] }],
    ['2%'],
  ])('the invalid policy %j is ignored with a warning and the item is shown', (policy) => {
    const result = readOne({}, { late_fees: policy });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.lateFees).toBeNull();
    expect(result.warnings).toEqual({ late_fees: 1 });
  });
});

describe('duplicates', () => {
  test('the first item with a ref_payment wins and the rest are counted as duplicates', () => {
    const result = read([
      payment({ ref_payment: 'A', amount: 1000 }),
      payment({ ref_payment: 'B', amount: 2000 }),
      payment({ ref_payment: 'A', amount: 3000 }),
      payment({ ref_payment: ' A ', amount: 4000 }),
    ]);
    expect(result.items.map((i) => [i.ref, i.amount])).toEqual([
      ['A', 1000n],
      ['B', 2000n],
    ]);
    expect(result.duplicates).toBe(2);
    expect(result.skipped).toBe(0);
  });

  test('a numeric ref_payment and the same digits as a string are the same item', () => {
    const result = read([payment({ ref_payment: 1234567 }), payment({ ref_payment: '1234567' })]);
    expect(result.items).toHaveLength(1);
    expect(result.duplicates).toBe(1);
  });

  test('refs differing only in case are different items', () => {
    expect(read([payment({ ref_payment: 'ab' }), payment({ ref_payment: 'AB' })]).items).toHaveLength(2);
  });
});

describe('robustness', () => {
  test('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const outcome = readErpPayload(body, PAYER_ID);
        expect(typeof outcome.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  test('never throws on payments arrays of anything, and accounts for every entry', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(fc.array(anything), (payments) => {
        const outcome = readErpPayload({ payments }, PAYER_ID);
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const { items, skipped, duplicates } = outcome.value;
        expect(items.length + skipped + duplicates).toBe(payments.length);
      }),
      { numRuns: 500 },
    );
  });

  // Near-valid payments: every field is either a plausible value or anything at all.
  const field = (...good: fc.Arbitrary<unknown>[]) =>
    fc.oneof({ arbitrary: fc.oneof(...good), weight: 6 }, { arbitrary: fc.anything(), weight: 1 });
  const nearValidPayment = (idNumber: fc.Arbitrary<unknown>) =>
    fc.record(
      {
        recauda_information: fc.record(
          {
            ref_payment: field(
              fc.constantFrom('A', 'B', ' A ', 'C'),
              fc.integer(),
              fc.string({ maxLength: 200 }),
            ),
            amount: field(
              fc.integer({ min: -10, max: 10 ** 9 }),
              fc.double(),
              fc.constantFrom('20000', '54000.85', '0', '1,000'),
            ),
            currency_type: field(fc.constantFrom('COP', 'usd', 'EUR', 'MXN')),
            description: field(fc.string({ maxLength: 200 })),
            id_number: idNumber,
            payer_name: field(fc.string()),
            advance: field(
              fc.record({
                type: fc.constantFrom('Valor Minimo', 'Porcentaje Mínimo', 'x'),
                value: field(fc.integer(), fc.double()),
              }),
            ),
            metadata: fc.jsonValue(),
          },
          { requiredKeys: ['id_number'] },
        ),
        advanced_options: field(
          fc.record(
            {
              picture: field(fc.webUrl(), fc.string()),
              limit_date: field(fc.constantFrom('2025-03-15', '2025-02-30', '2025/03/01')),
              references: field(fc.array(field(fc.string({ maxLength: 60 })))),
              delivery_service: field(
                fc.record({ type: fc.constantFrom('Gratis', 'Con Valor', 'x'), value: field(fc.integer()) }),
              ),
              discount: field(
                fc.record({
                  before_on: field(fc.constantFrom('2025-03-10')),
                  type: fc.constantFrom('Porcentaje', 'Valor', 'x'),
                  value: field(fc.integer(), fc.double()),
                }),
              ),
              late_fees: field(
                fc.record({
                  condition_type: fc.constantFrom('automated', 'fixed'),
                  type: fc.constantFrom('amount', 'percentage'),
                  value: field(fc.double()),
                  frequency: field(fc.integer({ min: 0, max: 31 })),
                  limit: field(fc.integer({ min: 0, max: 31 })),
                }),
              ),
              comments_label: field(fc.string({ maxLength: 150 })),
              has_comments: fc.anything(),
            },
            { requiredKeys: [] },
          ),
          fc.constant(null),
        ),
      },
      { requiredKeys: ['recauda_information'] },
    );

  test('whatever the ERP sends, shown items respect every limit of docs/spec/erp-recauda.md', () => {
    fc.assert(
      fc.property(
        fc.array(nearValidPayment(field(fc.constantFrom(PAYER_ID, 12345678, '12.345.678')))),
        (payments) => {
          const outcome = readErpPayload({ payments }, PAYER_ID);
          if (!outcome.ok) throw new Error(outcome.error);
          const { items, skipped, duplicates } = outcome.value;
          expect(items.length + skipped + duplicates).toBe(payments.length);
          expect(new Set(items.map((i) => i.ref)).size).toBe(items.length);
          for (const item of items) {
            expect(item.ref).toBe(item.ref.trim());
            expect(item.ref.length).toBeGreaterThanOrEqual(1);
            expect(item.ref.length).toBeLessThanOrEqual(191);
            expect(item.description.length).toBeLessThanOrEqual(191);
            expect(['COP', 'USD', 'EUR']).toContain(item.currency);
            expect(item.amount > 0n).toBe(true);
            expect(item.delivery >= 0n).toBe(true);
            expect(item.references.length).toBeLessThanOrEqual(3);
            for (const r of item.references) expect(r.length).toBeLessThanOrEqual(50);
            if (item.picture !== null) {
              expect(item.picture.length).toBeLessThanOrEqual(250);
              expect(new URL(item.picture).protocol).toBe('https:');
            }
            if (item.comments.label !== null) expect(item.comments.label.length).toBeLessThanOrEqual(100);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  test('items stating another id number are never shown, whatever else they contain', () => {
    const otherId = fc.oneof(
      fc.stringMatching(/^\d{5,15}$/).filter((id) => id !== PAYER_ID),
      fc.integer({ min: 10000, max: 99999999 }).filter((id) => id !== Number(PAYER_ID)),
    );
    fc.assert(
      fc.property(fc.array(nearValidPayment(otherId), { minLength: 1 }), (payments) => {
        const outcome = readErpPayload({ payments }, PAYER_ID);
        if (!outcome.ok) throw new Error(outcome.error);
        expect(outcome.value.items).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
