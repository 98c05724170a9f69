/**
 * `entrawatch bridge --config FILE`: reads event hubs over AMQP (works on every tier, including Basic, which has
 * no Kafka endpoint) and produces every message unchanged to Kafka, checkpointing in Redis after Kafka
 * acknowledged. Several bridge processes with the same config share the partitions. The config file is YAML or
 * JSON: either the bridge section itself or a file with a top-level `bridge:` key. Secrets never reach the log.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { bridgeConfigSchema, type BridgeConfig } from '../bridge/config.js';
import { runBridge } from '../bridge/run-bridge.js';
import { createLogger } from '../observability/logger.js';

/** Reads and validates the bridge config; ConfigError names the key and the fix (values are never echoed). */
export async function loadBridgeConfig(file: string): Promise<BridgeConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError('--config', `${file} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const section = doc && typeof doc === 'object' && 'bridge' in doc ? (doc as { bridge: unknown }).bridge : doc;
  const parsed = bridgeConfigSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : '';
    throw new ConfigError(['bridge', ...issue.path.map(String)].join('.'), `${issue.message}${more}`);
  }
  return parsed.data;
}

export function registerBridgeCommand(program: Command): void {
  program
    .command('bridge')
    .description(
      'Copy Event Hubs messages (AMQP) unchanged to Kafka, checkpointing in Redis after Kafka acknowledged them. ' +
        'Use it for the Basic tier (no Kafka endpoint) or to feed your own Kafka.',
    )
    .requiredOption('-c, --config <file>', 'bridge config (YAML/JSON; the bridge section or a file with a `bridge:` key)')
    .option('--log-level <level>', 'log level (trace, debug, info, warn, error)', process.env.ENTRAWATCH_LOG_LEVEL ?? 'info')
    .action(async (opts: { config: string; logLevel: string }) => {
      const config = await loadBridgeConfig(opts.config);
      const logger = createLogger({ level: opts.logLevel, name: 'entrawatch-bridge' });
      const running = await runBridge(config, logger);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, 'stopping the bridge');
          running.stop().then(resolve, (err: unknown) => {
            logger.error({ err }, 'error while stopping the bridge');
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
