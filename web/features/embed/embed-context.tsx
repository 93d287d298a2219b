import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { noEmbed, type EmbedMessenger } from './embed-messenger';

const EmbedContext = createContext<EmbedMessenger>(noEmbed);

/**
 * Marks a loading state (`data-loading`): while one is on the page, the frame does not shrink. Moving
 * between pages shows one briefly (a lazy page, a lookup); reporting its small height would collapse the
 * merchant's iframe and grow it again a moment later.
 */
export const LOADING_SELECTOR = '[data-loading]';

/** Provides the messenger, says `ready` once, and reports the page's height whenever it changes. */
export function EmbedProvider({ messenger, children }: { messenger: EmbedMessenger; children: ReactNode }) {
  useEffect(() => {
    if (!messenger.active) return undefined;
    messenger.post({ type: 'ready' });
    const body = document.body;
    let last = -1;
    const report = () => {
      const height = Math.ceil(body.getBoundingClientRect().height);
      if (height === last) return;
      // Keep the height until the next page has measured itself (its loading state is gone).
      if (height < last && document.querySelector(LOADING_SELECTOR)) return;
      last = height;
      messenger.post({ type: 'resize', height });
    };
    report();
    const observers: { disconnect(): void }[] = [];
    if (typeof ResizeObserver !== 'undefined') {
      const resize = new ResizeObserver(report);
      resize.observe(body);
      observers.push(resize);
    }
    // A loading state that ends without changing the height still lets a held-back shrink through.
    if (typeof MutationObserver !== 'undefined') {
      const mutations = new MutationObserver(report);
      mutations.observe(body, { childList: true, subtree: true });
      observers.push(mutations);
    }
    return () => {
      for (const observer of observers) observer.disconnect();
    };
  }, [messenger]);

  return <EmbedContext.Provider value={messenger}>{children}</EmbedContext.Provider>;
}

export function useEmbed(): EmbedMessenger {
  return useContext(EmbedContext);
}
