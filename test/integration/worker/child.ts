/**
 * Starts the worker as a child process (tsx) for kill -9 / SIGTERM / exit-code tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

export interface WorkerChild {
  process: ChildProcess;
  stderr(): string;
  /** resolves with the exit code (or 128 + signal number style name) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnWorker(configPath: string, env: NodeJS.ProcessEnv = {}): WorkerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'worker', '--config', configPath], {
    env: { ...process.env, ENTRAWATCH_LOG_LEVEL: process.env.ENTRAWATCH_TEST_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, stderr: () => err, exited };
}
