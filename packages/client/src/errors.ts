import { ERROR_CATALOGUE, HeadwayError, type ErrorCode } from '@headway/protocol';

/** The request never got an HTTP answer (server down, DNS, connection reset, aborted). */
export class HeadwayNetworkError extends Error {
  readonly url: string;
  constructor(url: string, cause: unknown) {
    super(`could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}; check the URL and that the server is running`, { cause });
    this.name = 'HeadwayNetworkError';
    this.url = url;
  }
}

/** Thrown by `reporter.checkpoint()` once the job's cancellation has been acknowledged. */
export class JobCancelledError extends Error {
  readonly jobId: string;
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled`);
    this.name = 'JobCancelledError';
    this.jobId = jobId;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/**
 * Turns an error answer back into the HeadwayError the server threw. Answers that are not
 * ours (a proxy's 502 page) still become a HeadwayError, with a code chosen by status.
 */
export function errorFromAnswer(status: number, body: unknown): HeadwayError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = isErrorCode(error?.code) ? error.code : (CODE_BY_STATUS[status] ?? 'INTERNAL');
  const message = typeof error?.message === 'string' ? error.message : `the server answered HTTP ${status}`;
  const details = error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : undefined;
  return new HeadwayError(code, message, details);
}

/** Errors a caller may retry: the network, or the server saying "not now". */
export function isTransientError(error: unknown): boolean {
  if (error instanceof HeadwayNetworkError) return true;
  return error instanceof HeadwayError && (error.code === 'RATE_LIMITED' || error.code === 'NOT_READY' || error.code === 'INTERNAL');
}
