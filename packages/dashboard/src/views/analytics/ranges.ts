/** The ranges the analytics view offers, each with a bucket size that gives a readable chart. */
export const RANGES = [
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000, bucket: '1h' },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, bucket: '6h' },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, bucket: '1d' },
  { value: '1h', label: 'Last hour', ms: 3_600_000, bucket: '2m' },
] as const;

export type RangeChoice = (typeof RANGES)[number];

export function rangeOf(value: string | null): RangeChoice {
  return RANGES.find((range) => range.value === value) ?? RANGES[0];
}
