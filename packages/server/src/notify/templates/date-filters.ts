import type { FilterImplOptions, Liquid } from 'liquidjs';

/** liquidjs' filters that read a date (all go through its parseDate). */
const DATE_FILTERS = ['date', 'date_to_xmlschema', 'date_to_rfc822', 'date_to_string', 'date_to_long_string'];

/**
 * Every time Headway gives a template (at, job.finishedAt, digest.windowStart, …) is milliseconds
 * since the epoch, as in the API and the webhook body; Liquid reads a number as seconds, so
 * `{{ job.finishedAt | date: "%H:%M" }}` printed a time in the year 58,000. These filters take a
 * number as milliseconds and leave strings ("now", ISO dates) to Liquid.
 */
export function readDatesAsMilliseconds(liquid: Liquid): void {
  for (const name of DATE_FILTERS) {
    const builtIn = liquid.filters[name] as FilterImplOptions;
    const handler = typeof builtIn === 'function' ? builtIn : builtIn.handler;
    liquid.registerFilter(name, function (this: unknown, value: unknown, ...args: unknown[]) {
      return handler.call(this as never, typeof value === 'number' ? new Date(value) : value, ...args);
    });
  }
}
