/** The one catalogue of Headway errors: stable machine codes with their HTTP status. */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400 },
  UNAUTHORIZED: { status: 401 },
  FORBIDDEN: { status: 403 },
  JOB_NOT_FOUND: { status: 404 },
  NOT_FOUND: { status: 404 },
  METHOD_NOT_ALLOWED: { status: 405 },
  ILLEGAL_TRANSITION: { status: 409 },
  CONFLICT: { status: 409 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  RATE_LIMITED: { status: 429 },
  TEMPLATE_INVALID: { status: 400 },
  NOT_READY: { status: 503 },
  INTERNAL: { status: 500 },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Body of every error answer: `{error: {code, message}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** WebSocket close codes in the 4000–4999 private range mirror HTTP statuses (4401, 4404, ...). */
export function wsCloseCodeOf(code: ErrorCode): number {
  return 4000 + httpStatusOf(code);
}

/** Error type used by server and clients alike, so callers can switch on `code`. */
export class HeadwayError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HeadwayError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return httpStatusOf(this.code);
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}
