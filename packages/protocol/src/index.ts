export * from './job.js';
export * from './events.js';
export * from './errors.js';
export * from './requests.js';
export * from './stream.js';
export * from './analytics.js';
export * from './responses.js';
export * from './analytics-responses.js';
