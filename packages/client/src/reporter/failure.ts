import { FailBody } from '@headway/protocol';

/** The server's limits on a failure, read from the protocol's schema. */
const MAX_MESSAGE_LENGTH = FailBody.properties.error.properties.message.maxLength ?? 10_000;
const MAX_CODE_LENGTH = FailBody.properties.error.properties.code.maxLength ?? 100;

/** NUL and unpaired surrogates (the server refuses them: the stores cannot keep them), and the pairs to step over. */
const NUL_OR_SURROGATES = /\0|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

/**
 * What `fail()` sends for whatever the worker caught: failing a job must always work, so any
 * value becomes a message the server accepts (non-empty, storable, cut to its limit with a
 * marker) and a code only when it is a string or number (cut to its limit).
 */
export function failureOf(thrown: unknown): { message: string; code?: string } {
  const message = storable(messageOf(thrown));
  const cut = message.length > MAX_MESSAGE_LENGTH ? truncated(message, MAX_MESSAGE_LENGTH, `… [truncated: ${message.length.toLocaleString('en-US')} characters in all]`) : message;
  const code = (thrown as { code?: unknown } | null | undefined)?.code;
  const codeText = typeof code === 'string' || typeof code === 'number' ? truncated(storable(String(code)), MAX_CODE_LENGTH, '') : '';
  return codeText ? { message: cut, code: codeText } : { message: cut };
}

function messageOf(thrown: unknown): string {
  const message = (thrown as { message?: unknown } | null | undefined)?.message;
  if (typeof message === 'string' && message.trim() !== '') return message;
  if (thrown instanceof Error) return `${thrown.name || 'Error'} without a message`;
  const text = typeof thrown === 'string' ? thrown : describe(thrown);
  return text.trim() === '' ? 'failed without a message' : text;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a bigint, or a cycle
  }
}

function storable(text: string): string {
  return text.replace(NUL_OR_SURROGATES, (found) => (found.length === 2 ? found : '\uFFFD'));
}

/** `text` cut so that it ends with `marker` within `maxLength`, never between the halves of a surrogate pair. */
function truncated(text: string, maxLength: number, marker: string): string {
  if (text.length <= maxLength) return text;
  let end = maxLength - marker.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + marker;
}
