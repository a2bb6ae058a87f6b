export { openSqliteStore } from './open.js';
