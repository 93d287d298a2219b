import { render } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EmbedProvider } from '../../web/features/embed/embed-context';
import { createEmbedMessenger, embedQuery } from '../../web/features/embed/embed-messenger';

function setMeta(content: string | null) {
  document.head.querySelectorAll('meta[name="saldo-embed-origin"]').forEach((m) => m.remove());
  if (content === null) return;
  const meta = document.createElement('meta');
  meta.name = 'saldo-embed-origin';
  meta.content = content;
  document.head.append(meta);
}

afterEach(() => setMeta(null));

describe('embed messages', () => {
  test('posts to the exact origin the server put in the meta, in the docs/spec/channels.md envelope', () => {
    setMeta('https://www.acme.co');
    const parent = { postMessage: vi.fn() };
    const messenger = createEmbedMessenger({ search: '?embed=1', document, parent });
    expect(messenger.active).toBe(true);
    messenger.post({ type: 'lookup_completed', itemCount: 3 });
    messenger.post({ type: 'payment_started', reference: 'R-1' });
    expect(parent.postMessage.mock.calls).toEqual([
      [{ source: 'saldo', v: 1, type: 'lookup_completed', itemCount: 3 }, 'https://www.acme.co'],
      [{ source: 'saldo', v: 1, type: 'payment_started', reference: 'R-1' }, 'https://www.acme.co'],
    ]);
  });

  test.each([
    ['no meta', null, '?embed=1', true],
    ['a meta that is not an origin', 'https://www.acme.co/path', '?embed=1', true],
    ['a wildcard meta', '*', '?embed=1', true],
    ['not embedded', 'https://www.acme.co', '', true],
    ['not framed', 'https://www.acme.co', '?embed=1', false],
  ])('never posts with %s', (_name, meta, search, framed) => {
    setMeta(meta);
    const parent = { postMessage: vi.fn() };
    const messenger = createEmbedMessenger({ search, document, parent: framed ? parent : null });
    messenger.post({ type: 'ready' });
    expect(messenger.active).toBe(false);
    expect(parent.postMessage).not.toHaveBeenCalled();
  });

  test('the provider says ready and reports the height', () => {
    setMeta('https://www.acme.co');
    const parent = { postMessage: vi.fn() };
    const messenger = createEmbedMessenger({ search: '?embed=1', document, parent });
    render(
      <EmbedProvider messenger={messenger}>
        <p>hola</p>
      </EmbedProvider>,
    );
    const types = parent.postMessage.mock.calls.map(([message]) => (message as { type: string }).type);
    expect(types.slice(0, 2)).toEqual(['ready', 'resize']);
    for (const [, targetOrigin] of parent.postMessage.mock.calls)
      expect(targetOrigin).toBe('https://www.acme.co');
  });

  test('links inside the portal keep the embed query, and only it', () => {
    expect(embedQuery('?embed=1&origin=https%3A%2F%2Fwww.acme.co&x=1')).toBe(
      'embed=1&origin=https%3A%2F%2Fwww.acme.co',
    );
    expect(embedQuery('?x=1')).toBe('');
  });
});
