import { useEffect } from 'react';

/** Calls `tick` every `ms` while the page is visible (no polling from a background tab). */
export function useInterval(tick: () => void, ms: number): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') tick();
    }, ms);
    return () => clearInterval(timer);
  }, [tick, ms]);
}
