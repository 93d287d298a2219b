import { afterEach, describe, expect, test, vi } from 'vitest';
import { prefetchStatement } from '../../web/app/statement-page';
import type { ApiClient } from '../../web/lib/api-client';

function recordingApi() {
  const prefetchLookup = vi.fn<ApiClient['prefetchLookup']>();
  return { api: { prefetchLookup } as unknown as ApiClient, prefetchLookup };
}

/** prefetchStatement waits for a frame, then a task. */
const afterPaint = () => new Promise((resolve) => setTimeout(resolve, 50));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a statement link looks up at start-up', () => {
  test('with its token, once the page has painted', async () => {
    const { api, prefetchLookup } = recordingApi();
    prefetchStatement(api, '/demo/s/v1.tok.sig', 'es-CO');
    expect(prefetchLookup).not.toHaveBeenCalled();
    await afterPaint();
    expect(prefetchLookup).toHaveBeenCalledExactlyOnceWith('demo', { token: 'v1.tok.sig' });
  });

  test.each(['/demo', '/', '/demo/pay', '/No_Such/s/v1.tok.sig', '/demo/s/'])('not on %s', async (path) => {
    const { api, prefetchLookup } = recordingApi();
    prefetchStatement(api, path, 'es-CO');
    await afterPaint();
    expect(prefetchLookup).not.toHaveBeenCalled();
  });
});
