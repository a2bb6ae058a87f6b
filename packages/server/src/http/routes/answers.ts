import { ERROR_CATALOGUE, ErrorBodySchema, JobEventSchema, JobSchema, ProgressAnswerSchema, errorBodySchema, type ErrorCode } from '@headway/protocol';
import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The `response` part of route schemas: what each route answers, for the OpenAPI document only
 * (openapi.ts serializes every answer with JSON.stringify). Shared schemas are referenced by
 * their $id and published once, under #/components/schemas.
 */

/** Error statuses a route names itself; every authenticated route can also answer 401, 403 and 429. */
export type ErrorStatus = 400 | 404 | 409 | 413;

const ERRORS = {
  400: { name: 'BadRequestError', description: 'a path or query parameter or a body field is wrong; the message names it' },
  401: { name: 'UnauthorizedError', description: 'the bearer token is missing, malformed, unknown, revoked or expired' },
  403: { name: 'ForbiddenError', description: "the token may not do this (a key without the scope, a user token on another user's data)" },
  404: { name: 'NotFoundError', description: 'a job or another resource named by the request does not exist (or the token may not see it)' },
  409: { name: 'ConflictError', description: 'the resource is not in a state that allows this (e.g. the job is finished), or a limit is reached' },
  413: { name: 'PayloadTooLargeError', description: "the body is larger than the server's limit" },
  429: { name: 'RateLimitedError', description: 'over the per-token limit of requests per minute (when the server runs with one)' },
} as const;

type AnyErrorStatus = keyof typeof ERRORS;

const codesWithStatus = (status: number) => (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter((code) => ERROR_CATALOGUE[code].status === status);

const OTHER_ERRORS = { name: 'Error', description: 'anything else: INTERNAL (500), or NOT_READY (503) while the store or Redis does not answer' };

/** Registered with app.addSchema in openapi.ts: the job, its events, progress answers and one error body per status. */
export const SHARED_ANSWER_SCHEMAS: TSchema[] = [
  JobSchema,
  JobEventSchema,
  ProgressAnswerSchema,
  { ...ErrorBodySchema, $id: OTHER_ERRORS.name },
  ...Object.entries(ERRORS).map(([status, { name, description }]) => errorBodySchema(codesWithStatus(Number(status)), { $id: name, description })),
];

export const JobRef = Type.Ref(JobSchema.$id!);
export const JobEventRef = Type.Ref(JobEventSchema.$id!);
export const ProgressAnswerRef = Type.Ref(ProgressAnswerSchema.$id!);

/** One answer: its description and its body's schema (null: no body). */
export interface Answer {
  description: string;
  schema: TSchema | null;
}

export const answer = (description: string, schema: TSchema | null): Answer => ({ description, schema });

/** The answers of an authenticated route: its successes, the error statuses it names, 401, 403, 429 and anything else. */
export function authenticatedAnswers(success: Record<number, Answer>, errors: readonly ErrorStatus[]): Record<string, unknown> {
  return routeAnswers(success, [...errors, 401, 403, 429]);
}

/** The answers of a route without authentication. */
export function openAnswers(success: Record<number, Answer>): Record<string, unknown> {
  return routeAnswers(success, [429]);
}

function routeAnswers(success: Record<number, Answer>, errors: readonly AnyErrorStatus[]): Record<string, unknown> {
  const response: Record<string, unknown> = {};
  for (const [status, { description, schema }] of Object.entries(success)) response[status] = documented(description, schema);
  for (const status of [...errors].sort((a, b) => a - b)) response[status] = { $ref: ERRORS[status].name, description: `${codesWithStatus(status).join(' or ')}: ${ERRORS[status].description}` };
  response.default = { $ref: OTHER_ERRORS.name, description: OTHER_ERRORS.description };
  return response;
}

/** @fastify/swagger takes the answer's description from x-response-description, or from `description` next to a $ref. */
function documented(description: string, schema: TSchema | null): Record<string, unknown> {
  if (schema === null) return { type: 'null', description };
  if (schema.$ref !== undefined) return { $ref: schema.$ref, description };
  return { ...schema, 'x-response-description': description };
}

type Responses = Record<string, unknown>;
interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Responses } | undefined>>;
  components?: { responses?: Responses };
}

/**
 * Error answers are the same for every route that gives them: the document lists each once under
 * components.responses and refers to it (the generator writes them out in full at every route:
 * 46 KB of the document's 111 KB). An answer that differs from the first of its status stays in place.
 */
export function shareErrorAnswers<T extends object>(generated: T): T {
  const document = generated as OpenApiDocument;
  const shared: Responses = {};
  const names: Record<string, string> = { default: 'OtherError' };
  for (const [status, { name }] of Object.entries(ERRORS)) names[status] = name.replace(/Error$/, '');
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const responses = operation?.responses;
      for (const [status, name] of Object.entries(names)) {
        const response = responses?.[status];
        if (response === undefined) continue;
        shared[name] ??= response;
        if (JSON.stringify(shared[name]) === JSON.stringify(response)) responses![status] = { $ref: `#/components/responses/${name}` };
      }
    }
  }
  document.components = { ...document.components, responses: { ...document.components?.responses, ...shared } };
  return generated;
}

/** `{items, nextCursor}`: one page of a list; pass nextCursor back as `cursor` for the next. */
export const pageOf = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }) });
