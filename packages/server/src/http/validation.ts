import { HeadwayError } from '@headway/protocol';
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, ValueErrorType, type ValueError } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { describeUnstorableText, findUnstorableText } from './text-guard.js';

type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * Validates requests with the TypeBox schemas of @headway/protocol, compiled once per route.
 * Bodies are checked as sent (no coercion, unknown fields rejected, never silently dropped);
 * query strings and params are converted from strings first, numbers only from plain decimal
 * text, booleans only from `true` and `false`. Failures name the field.
 * Bodies were already checked for unstorable text by the JSON parser; query strings and params
 * (a few short strings: `%00` decodes to NUL) are checked here, before they can reach a SQL parameter.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const part = (httpPart ?? 'body') as HttpPart;
  const converts = part !== 'body';
  const scalarFields = converts ? scalarFieldsOf(schema) : [];
  return (data: unknown) => {
    const misread = scalarFields.length > 0 ? unreadableScalar(scalarFields, data, part) : null;
    if (misread) return { error: new HeadwayError('VALIDATION_FAILED', misread) };
    // A body-less POST (curl -X POST .../pause) means "no fields".
    const input = part === 'body' && (data === undefined || data === null) ? {} : converts ? Value.Convert(schema, data) : data;
    const unstorable = converts ? findUnstorableText(input) : null;
    if (unstorable) return { error: new HeadwayError('VALIDATION_FAILED', describeUnstorableText(unstorable, PART_NAMES[part], ROOT_NAMES[part])) };
    if (check.Check(input)) return { value: input };
    const error = check.Errors(input).First()!;
    return { error: new HeadwayError('VALIDATION_FAILED', describe(error, part)) };
  };
};

const SCALAR_KINDS = new Set(['Integer', 'Number', 'Boolean']);

interface ScalarField {
  name: string;
  kind: 'Integer' | 'Number' | 'Boolean';
}

/** The integer, number and boolean fields of an object schema (query strings and params are flat objects). */
function scalarFieldsOf(schema: TSchema): ScalarField[] {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, field]) => (SCALAR_KINDS.has(field[Kind]) ? [{ name, kind: field[Kind] as ScalarField['kind'] }] : []));
}

// Value.Convert reads number text with parseInt/parseFloat after an isNaN test, so "1e3" becomes 1,
// "0x10" 16, "1.5" 1 and "true" 1: only plain decimal text is converted, the rest is refused.
const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * Why one of the scalar fields' text cannot be read as sent, or null. Arrays (a repeated parameter) are left to the schema.
 * Booleans are `true` or `false` as written: Value.Convert also took TRUE, False, 1, 0 and -0, and a
 * client sending `?unread=1` or `?unread=yes` should learn the one spelling rather than have some guessed.
 */
function unreadableScalar(fields: ScalarField[], data: unknown, part: HttpPart): string | null {
  for (const { name, kind } of fields) {
    const text = (data as Record<string, unknown> | undefined)?.[name];
    if (typeof text !== 'string') continue;
    const where = `${PART_NAMES[part]} "${name}"`;
    if (kind === 'Boolean' && text !== 'true' && text !== 'false') return `${where} must be true or false, got ${shown(text)}`;
    if (kind === 'Number' && !(DECIMAL_TEXT.test(text) && Number.isFinite(Number(text)))) return `${where} must be a decimal number written in plain digits, e.g. 2.5, got ${shown(text)}`;
    if (kind === 'Integer' && !INTEGER_TEXT.test(text)) return `${where} must be a whole number written in plain digits, e.g. 1000, got ${shown(text)}`;
    if (kind === 'Integer' && !Number.isSafeInteger(Number(text))) return `${where} is too large a number to read exactly (beyond ±${Number.MAX_SAFE_INTEGER}), got ${shown(text)}`;
  }
  return null;
}

const PART_NAMES: Record<HttpPart, string> = { body: 'body field', querystring: 'query parameter', params: 'path parameter', headers: 'header' };
const ROOT_NAMES: Record<HttpPart, string> = { body: 'the body', querystring: 'the query string', params: 'the path', headers: 'the headers' };

function describe(error: ValueError, part: HttpPart): string {
  const field = fieldName(error.path);
  const where = field ? `${PART_NAMES[part]} "${field}"` : ROOT_NAMES[part];
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return `unknown ${where}; remove it${allowedFields(error.schema)}${allowedKeys(error.schema)}`;
    case ValueErrorType.ObjectRequiredProperty:
      return `${where} is required`;
    case ValueErrorType.Union: {
      // `X | null` sent as something else than null: what is wrong is what is wrong with it as an X.
      const asNonNull = nonNullVariantError(error);
      if (asNonNull) return describe(asNonNull, part);
      return `${where} must be one of ${literalsOf(error.schema) ?? 'the documented shapes'}, got ${shown(error.value)}`;
    }
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat: {
      // A field's description says what to send ("HH:MM, 24-hour"); its regular expression does not.
      const description = (error.schema as { description?: unknown }).description;
      if (typeof description === 'string') return `${where} must be ${description}, got ${shown(error.value)}`;
      return `${where}: ${lowerFirst(error.message)}, got ${shown(error.value)}`;
    }
    default:
      return `${where}: ${lowerFirst(error.message)}, got ${shown(error.value)}`;
  }
}

/** `/steps/0/extra` → `steps[0].extra`. */
function fieldName(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '');
}

function allowedFields(schema: TSchema): string {
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  if (!properties) return '';
  const names = Object.keys(properties);
  return names.length > 0 ? ` (allowed: ${names.join(', ')})` : ' (this request takes no fields here; send {} or no body)';
}

function nonNullVariantError(error: ValueError): ValueError | undefined {
  const options = (error.schema as { anyOf?: TSchema[] }).anyOf;
  if (error.value === null || options?.length !== 2) return undefined;
  const index = options.findIndex((o) => o[Kind] !== 'Null');
  if (index < 0 || options[1 - index]![Kind] !== 'Null') return undefined;
  return error.errors[index]?.First();
}

/** A map keyed by pattern (a TypeBox Record) says which keys it takes in its description. */
function allowedKeys(schema: TSchema): string {
  const { patternProperties, description } = schema as { patternProperties?: unknown; description?: unknown };
  return patternProperties !== undefined && typeof description === 'string' ? ` or fix its name: the keys here are ${description}` : '';
}

function literalsOf(schema: TSchema): string | null {
  const options = (schema as { anyOf?: TSchema[] }).anyOf;
  if (!options?.every((o) => o[Kind] === 'Literal')) return null;
  return options.map((o) => JSON.stringify((o as unknown as { const: unknown }).const)).join(', ');
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
