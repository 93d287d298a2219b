import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { noEmbed, type EmbedMessenger } from './embed-messenger';

const EmbedContext = createContext<EmbedMessenger>(noEmbed);

/** Provides the messenger, says `ready` once, and reports the page's height whenever it changes. */
export function EmbedProvider({ messenger, children }: { messenger: EmbedMessenger; children: ReactNode }) {
  useEffect(() => {
    if (!messenger.active) return undefined;
    messenger.post({ type: 'ready' });
    const body = document.body;
    let last = -1;
    const report = () => {
      const height = Math.ceil(body.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        messenger.post({ type: 'resize', height });
      }
    };
    report();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(report);
    observer.observe(body);
    return () => observer.disconnect();
  }, [messenger]);

  return <EmbedContext.Provider value={messenger}>{children}</EmbedContext.Provider>;
}

export function useEmbed(): EmbedMessenger {
  return useContext(EmbedContext);
}
