import { Ajv, type ValidateFunction } from 'ajv';
import type { TestServer } from '../support/server.js';

type Json = Record<string, unknown>;
interface Response {
  $ref?: string;
  description: string;
  content?: { 'application/json': { schema: Json } };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, Response>; security?: unknown[] }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Response> };
}

/** An answer as a test got it: the status and the body's text. */
export interface Answer {
  status: number;
  text: string;
}

/**
 * Checks real answers against what GET /v1/openapi.json publishes for them, with Ajv (which knows
 * OpenAPI 3.0's `nullable`). Objects are checked closed: a field an answer has and the document
 * does not list fails, although the document leaves them open for clients.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(readonly document: OpenApiDocument) {
    this.ajv.addSchema({ components: closed(document.components) }, DOCUMENT_ID);
  }

  static async of(server: TestServer): Promise<OpenApiContract> {
    const res = await server.request<OpenApiDocument>('GET', '/v1/openapi.json', { token: null });
    if (res.status !== 200) throw new Error(`GET /v1/openapi.json answered ${res.status}`);
    return new OpenApiContract(res.body);
  }

  /** The documented answer of a route for a status (or its `default`), its $ref followed. */
  response(method: string, route: string, status: number): Response {
    const operation = this.document.paths[route]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${route} is not in the document`);
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) throw new Error(`${method} ${route} documents no ${status} answer`);
    return response.$ref ? this.document.components.responses[response.$ref.split('/').pop()!]! : response;
  }

  /** What is wrong with an answer by the document: '' when nothing. */
  violations(method: string, route: string, answer: Answer): string {
    const documented = this.response(method, route, answer.status);
    if (!documented.content) return answer.text === '' ? '' : `${method} ${route} ${answer.status} documents no body, got ${answer.text.slice(0, 200)}`;
    const key = `${method} ${route} ${answer.status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebased(closed(documented.content['application/json'].schema)));
      this.validators.set(key, validate);
    }
    if (validate(JSON.parse(answer.text))) return '';
    return `${key}: ${this.ajv.errorsText(validate.errors, { dataVar: 'answer' })}`;
  }
}

const DOCUMENT_ID = 'headway-openapi.json';

/** A copy with additionalProperties: false on every object schema that lists properties and says nothing else. */
function closed<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(closed) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Json = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy as T;
}

/** `#/components/...` references, made to point into the document registered with Ajv. */
function rebased(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)) as Json;
}
