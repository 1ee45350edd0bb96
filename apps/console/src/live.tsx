import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { followLiveFeed, type LiveState } from './api/live-feed';

const LiveContext = createContext<LiveState>('connecting');

/** The live feed's connection state, for the indicator. */
export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

/** Lists are read again at most this often however busy the orchestrator is. */
const LIST_REFRESH_MS = 1_000;

/**
 * Keeps the pages live: follows `GET /api/live` and marks what changed as stale, so the page on
 * screen reads it again (lists at most once a second, an open execution at once).
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const listTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const refreshLists = () => {
      if (listTimer.current) return;
      listTimer.current = setTimeout(() => {
        listTimer.current = undefined;
        void client.invalidateQueries({ queryKey: ['executions'] });
        void client.invalidateQueries({ queryKey: ['operations'] });
      }, LIST_REFRESH_MS);
    };
    const stop = followLiveFeed((message) => {
      if (message.overflow) {
        for (const key of ['execution', 'history', 'links']) void client.invalidateQueries({ queryKey: [key] });
      }
      for (const change of message.changes) {
        for (const key of ['execution', 'history', 'links']) void client.invalidateQueries({ queryKey: [key, change.executionId] });
      }
      refreshLists();
    }, setState);
    return () => {
      stop();
      if (listTimer.current) clearTimeout(listTimer.current);
    };
  }, [client]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}
