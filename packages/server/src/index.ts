/** @headway/server: embed a Headway node in your own process, or run it with `headway serve`. */
export { createHeadway, type HeadwayOptions } from './create-headway.js';
export type { Headway, HeadwayStats } from './headway.js';
export { ConfigSchema, type Config } from './config/config.js';
export { loadConfig, type ConfigFlags } from './config/load.js';
export { buildHttpApp, type HttpAppOptions } from './http/app.js';
export { createAuthenticator, type Authenticate } from './http/auth/authenticate.js';
export { SYSTEM, type Actor } from './service/actor.js';
export type { JobService, ActionInput, BatchProgressAnswer } from './service/job-service.js';
export type { Runtime, JobContext, JobHandler, HandlerOptions } from './runtime/runtime.js';
export { JobCancelledSignal, JobPausedSignal } from './runtime/signals.js';
export { startDemo } from './demo/index.js';
export * from '@headway/protocol';
