import { screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { LookupForm } from '../../web/features/lookup/lookup-form';
import { fakeApi } from './support/fake-api';
import { renderApp, renderWithProviders } from './support/render';

const LABEL = 'Número de identificación (cédula o NIT)';

function setup() {
  const onSubmit = vi.fn();
  const view = renderWithProviders(<LookupForm onSubmit={onSubmit} />);
  return { ...view, onSubmit, input: screen.getByLabelText(LABEL) };
}

describe('lookup form', () => {
  test('the id field opens the numeric keypad, is not autocompleted and says what is accepted', () => {
    const { input } = setup();
    expect(input.getAttribute('inputmode')).toBe('numeric');
    expect(input.getAttribute('autocomplete')).toBe('off');
    expect(input.hasAttribute('pattern')).toBe(false);
    const hint = screen.getByText(
      '5 a 15 dígitos; para NIT puedes agregar el dígito de verificación con guion, p. ej. 900373923-8',
    );
    expect(input.getAttribute('aria-describedby')).toContain(hint.id);
  });

  test('an empty submit asks for the number and calls nothing', async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole('button', { name: 'Consultar' }));
    expect(screen.getByRole('alert').textContent).toBe('Escribe tu número de identificación.');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  test.each(['1234', '12345678901234567', '12a45678', '900373923-', '900373923-85'])(
    'refuses %s and says what is accepted',
    async (typed) => {
      const { user, onSubmit, input } = setup();
      await user.type(input, typed);
      await user.click(screen.getByRole('button', { name: 'Consultar' }));
      const alert = screen.getByRole('alert');
      expect(alert.textContent).toContain('de 5 a 15 dígitos');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toContain(alert.id);
      expect(onSubmit).not.toHaveBeenCalled();
    },
  );

  test('refuses a NIT whose check digit is wrong', async () => {
    const { user, onSubmit, input } = setup();
    await user.type(input, '900.373.923-7');
    await user.click(screen.getByRole('button', { name: 'Consultar' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'El dígito de verificación no corresponde a este NIT. Revísalo o escribe el NIT sin el dígito.',
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  test.each([
    ['12345678', '12345678'],
    ['1.234.567.890', '1234567890'],
    ['900 373 923', '900373923'],
    // A check digit, once verified, is kept: it makes the payer a company (withholdings).
    ['900.373.923-8', '900373923-8'],
    ['800191045-1', '800191045-1'],
    ['41261533-2', '41261533-2'],
  ])('accepts %s and sends %s', async (typed, sent) => {
    const { user, onSubmit, input } = setup();
    await user.type(input, typed);
    await user.click(screen.getByRole('button', { name: 'Consultar' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith(sent);
  });

  test('validates on blur and clears the error as soon as the number is right', async () => {
    const { user, input } = setup();
    await user.type(input, '123');
    await user.tab();
    expect(screen.getByRole('alert').textContent).toContain('de 5 a 15 dígitos');
    await user.type(input, '45');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('an invalid number never reaches the API', async () => {
    const api = fakeApi();
    const { user } = renderApp('/demo', { fetch: api.fetch });
    const input = await screen.findByLabelText(LABEL);
    await user.type(input, '900373923-7');
    await user.click(screen.getByRole('button', { name: 'Consultar' }));
    await screen.findByText(/El dígito de verificación no corresponde/);
    await waitFor(() => expect(api.callsTo('public').length).toBeGreaterThan(0));
    expect(api.callsTo('lookup')).toHaveLength(0);
  });
});
