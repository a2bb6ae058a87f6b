import { Type } from '@sinclair/typebox';

/** Path and query shapes shared by several route files; bodies come from @headway/protocol. */
export const JobIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export interface JobIdParams {
  id: string;
}

/** Every authenticated route documents the bearer scheme registered in openapi.ts. */
export const bearer = [{ bearer: [] }];
