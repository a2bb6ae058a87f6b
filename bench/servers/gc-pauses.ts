/**
 * GC pauses of a bench server, by kind, answered over IPC: the parent sends `{type:'gc-pauses'}`
 * and gets `{type:'gc-pauses', young, full}` (pause lengths in ms since the previous ask).
 * Long young-generation pauses mean many objects survive each scavenge: the latency tail
 * follows them (a map's rehash chain once kept 8-10 MB alive per scavenge: 15-25 ms pauses).
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';

export interface GcPauses {
  young: number[];
  full: number[];
}

export function reportGcPauses(): void {
  let pauses: GcPauses = { young: [], full: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) pauses.young.push(entry.duration);
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) pauses.full.push(entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'gc-pauses') return;
    process.send?.({ type: 'gc-pauses', ...pauses });
    pauses = { young: [], full: [] };
  });
}
