import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { prefetchStatement } from '../../web/app/pages/statement-prefetch';
import { createI18n } from '../../web/i18n/i18n';
import type { ApiClient } from '../../web/lib/api-client';

function recordingApi() {
  const prefetchLookup = vi.fn<ApiClient['prefetchLookup']>();
  return { api: { prefetchLookup } as unknown as ApiClient, prefetchLookup };
}

// The frame and the task prefetchStatement waits for are run by hand: no wall clock involved.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a statement link looks up at start-up', () => {
  test('with its token, once the page has painted', () => {
    const { api, prefetchLookup } = recordingApi();
    prefetchStatement(api, createI18n(), '/demo/s/v1.tok.sig', 'es', 'es-CO');
    expect(prefetchLookup).not.toHaveBeenCalled();
    // The frame: the lookup still waits for the task after it.
    vi.advanceTimersToNextFrame();
    expect(prefetchLookup).not.toHaveBeenCalled();
    vi.runOnlyPendingTimers();
    expect(prefetchLookup).toHaveBeenCalledExactlyOnceWith('demo', { token: 'v1.tok.sig' });
  });

  test.each(['/demo', '/', '/demo/pay', '/No_Such/s/v1.tok.sig', '/demo/s/'])('not on %s', (path) => {
    const { api, prefetchLookup } = recordingApi();
    prefetchStatement(api, createI18n(), path, 'es', 'es-CO');
    // Nothing was scheduled, so nothing can happen later.
    expect(vi.getTimerCount()).toBe(0);
    vi.runAllTimers();
    expect(prefetchLookup).not.toHaveBeenCalled();
  });
});
