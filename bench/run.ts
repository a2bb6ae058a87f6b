/**
 * `npm run bench [-- --db postgres://…] [-- --only engine,recovery]`: prints figures and the
 * machine; no thresholds. Compare ratios within one run.
 */
import { parseArgs } from 'node:util';
import { benchEngineIngest, benchRecovery } from './engine.js';
import { machineLine } from './machine.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, only: { type: 'string' } } });
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);

console.log(machineLine());
console.log(`store: ${values.db?.startsWith('postgres') ? 'postgres' : 'sqlite (temp file)'}`);
if (wanted('engine')) await benchEngineIngest(values.db);
if (wanted('recovery')) await benchRecovery(values.db);
