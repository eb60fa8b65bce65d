import { useCallback, useRef, useState, type FormEvent } from 'react';

export interface ActionState<A extends unknown[]> {
  run: (...args: A) => Promise<void>;
  busy: boolean;
  error: Error | undefined;
}

/** A button's or form's work: busy while it runs (a second click waits), its error kept to show. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>): ActionState<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const running = useRef(false);
  const run = useCallback(
    async (...args: A) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      setError(undefined);
      try {
        await action(...args);
      } catch (failure) {
        setError(failure instanceof Error ? failure : new Error(String(failure)));
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error };
}

/** A form's submit handler: no page reload, the form element to `run`. */
export function onSubmitRun(run: (form: HTMLFormElement) => Promise<void>) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(event.currentTarget);
  };
}
