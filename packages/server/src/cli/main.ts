import { Command, CommanderError } from 'commander';
import { serveInYoungGenerationChild } from './young-generation.js';

type Env = Record<string, string | undefined>;

export interface CliIo {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

/**
 * The `headway` command line; `args` are the user's arguments (no node, no script path). Each
 * command imports its module when it runs: the `serve` parent that only waits for its child
 * (young-generation.ts) then holds about 50 MB of memory instead of the whole service's 100.
 */
/** Every command that opens the database takes a PostgreSQL URL as well as a SQLite file. */
const DB_OPTION_HELP = 'SQLite file or postgres:// URL (HEADWAY_DB, default ./headway.db)';

export async function main(args: string[], env: Env, io: CliIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  let exitCode = 0;
  const program = new Command('headway')
    .description('Track long-running jobs and tell people about them, live.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });

  program
    .command('serve')
    .description('start the service on the embedded SQLite database (or the one --db names)')
    .option('--port <port>', 'port to listen on (HEADWAY_PORT, default 8080)')
    .option('--host <host>', 'address to bind (HEADWAY_HOST, default 127.0.0.1)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--redis <url>', 'Redis for several nodes (HEADWAY_REDIS)')
    .option('--demo', 'keep realistic demo jobs flowing')
    .action(async (flags: { port?: string; host?: string; db?: string; redis?: string; demo?: boolean }) => {
      const childExitCode = await serveInYoungGenerationChild(env);
      if (childExitCode !== null) return void (exitCode = childExitCode);
      // Listening from the start: a signal just after the banner must stop the server, not kill it unflushed.
      const stopRequested = untilSignal();
      const { runServe } = await import('./serve.js');
      const server = await runServe(flags, env, io.out);
      await stopRequested;
      io.out.write('Stopping: finishing requests, flushing progress...\n');
      await server.stop();
      io.out.write('Stopped.\n');
    });

  const keys = program.command('keys').description('manage API keys in the database directly (no server needed)');
  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--name <name>', 'what the key is for, e.g. worker')
    .option('--scopes <list>', 'comma list of jobs:read, jobs:write, keys:admin, notifications:admin', 'jobs:read,jobs:write')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (options: { name: string; scopes: string; db?: string }) => (await import('./keys.js')).createKeyCommand(options, env, io.out));
  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (options: { db?: string }) => (await import('./keys.js')).listKeysCommand(options, env, io.out));
  keys
    .command('revoke <id>')
    .description('revoke an API key by id')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (id: string, options: { db?: string }) => (await import('./keys.js')).revokeKeyCommand(id, options, env, io.out));

  program
    .command('watch <jobId>')
    .description('follow a job live in the terminal: progress bar, step, rate and ETA')
    .option('--url <url>', 'server URL (HEADWAY_URL)', env.HEADWAY_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'bearer token (HEADWAY_TOKEN)', env.HEADWAY_TOKEN)
    .action(async (jobId: string, options: { url: string; token?: string }) => {
      const [{ HeadwayError }, { runWatch }] = await Promise.all([import('@headway/protocol'), import('./watch.js')]);
      if (!options.token) throw new HeadwayError('UNAUTHORIZED', 'no token: pass --token or set HEADWAY_TOKEN');
      exitCode = await runWatch({ url: options.url, token: options.token, jobId, out: io.out });
    });

  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err.write(`headway: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const REPEAT_WINDOW_MS = 500;

/**
 * Resolves at the first SIGINT or SIGTERM; another one while stopping exits at once, unless it
 * comes within REPEAT_WINDOW_MS: one request to stop often arrives twice, from the terminal (or
 * systemd, which signals the whole group) and forwarded by a parent (young-generation.ts, npx).
 */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      const firstAt = performance.now();
      const exitAtOnce = (code: number) => () => {
        if (performance.now() - firstAt >= REPEAT_WINDOW_MS) process.exit(code);
      };
      // Added before the first ones go: with no listener for an instant, a signal would kill the process.
      process.on('SIGINT', exitAtOnce(130)).on('SIGTERM', exitAtOnce(143));
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}
