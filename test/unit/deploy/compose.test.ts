/**
 * docker-compose.yml, deploy/entrawatch.compose.yaml and the Dockerfile, checked without Docker (no engine on the
 * test machines): the compose file is read with the `yaml` package (merge keys, `${VAR:-default}` interpolation)
 * and checked against the code it drives: every `command:` is parsed by the real commander program, every
 * ENTRAWATCH_* variable is applied by the real config loader and must land on a key it reads, the mounted config is
 * loaded by `loadWorkerConfig` / `loadBridgeConfig` with the compose environment and its rules compile, and the
 * Dockerfile's COPY sources, build inputs, runtime files, user and health check are checked against the repository.
 * Not checked here: the compose-spec JSON schema, image pulls, and a real `docker build` / `docker compose up`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadBridgeConfig } from '../../../src/cli/bridge.js';
import { buildProgram } from '../../../src/cli/program.js';
import { loadWorkerConfig, type WorkerCommandConfig } from '../../../src/cli/worker.js';
import { resolveBridgeSecrets } from '../../../src/bridge/run-bridge.js';
import { topicForHub } from '../../../src/bridge/config.js';
import { createRuleEngine, resolveRulePath } from '../../../src/runtime/create-engine.js';
import { MemoryCounterStore } from '../../../src/state/memory/memory-counter-store.js';
import {
  bindMountsOf,
  commandOf,
  durationMs,
  environmentOf,
  loadComposeFile,
  namedVolumesOf,
  rawEnvironmentValues,
  type ComposeService,
} from './compose-file.js';
import { execArgs, parseCopy, readDockerfile, type Stage } from './dockerfile.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const COMPOSE = join(ROOT, 'docker-compose.yml');
const DOCKERFILE = join(ROOT, 'Dockerfile');
const CONFIG_IN_CONTAINER = '/etc/entrawatch/entrawatch.yaml';
/** what an operator's .env holds (made-up values) */
const HEC_TOKEN = '0c2a8f4e-1b7d-4c3e-9a5f-6d8e7f9a0b1c';
const EVENTHUBS_CONNECTION_STRING =
  'Endpoint=sb://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=entrawatch-listen;SharedAccessKey=bm90LWEtcmVhbC1rZXk=';
const HOST_ENV = { HEC_TOKEN, EVENTHUBS_CONNECTION_STRING };

const compose = loadComposeFile(COMPOSE, HOST_ENV);
const services = compose.services;
/** the services that run the entrawatch image (built from this repository's Dockerfile) */
const entrawatchServices = Object.entries(services).filter(([, s]) => s.build !== undefined || s.image?.startsWith('entrawatch'));
const service = (name: string): ComposeService => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
};
const stages = readDockerfile(DOCKERFILE);
const finalStage = stages.at(-1)!;

/** the host file mounted at `path` in a service, or undefined */
function hostFileFor(s: ComposeService, path: string): string | undefined {
  for (const m of bindMountsOf(s)) {
    if (path === m.target || path.startsWith(`${m.target}/`)) return join(dirname(COMPOSE), m.source, path.slice(m.target.length));
  }
  return undefined;
}

/** the worker config as the worker container loads it (its compose environment, plus `extra`) */
function workerConfigWith(extra: Record<string, string> = {}): WorkerCommandConfig {
  const file = hostFileFor(service('worker'), CONFIG_IN_CONTAINER)!;
  return loadWorkerConfig(file, { ...environmentOf(service('worker')), ...extra });
}

/** the program with every subcommand's action replaced by a recorder; commander errors throw instead of exiting */
async function parseCommandLine(args: string[], env: Record<string, string> = {}): Promise<{ name: string; opts: Record<string, unknown>; args: string[] }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const program = await buildProgram();
    let seen: { name: string; opts: Record<string, unknown>; args: string[] } | undefined;
    const silence = (c: Command) => c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    silence(program);
    for (const c of program.commands) {
      silence(c);
      c.action(() => {
        seen = { name: c.name(), opts: c.opts(), args: [...c.args] };
      });
    }
    await program.parseAsync(args, { from: 'user' });
    if (!seen) throw new Error(`"${args.join(' ')}" ran no entrawatch subcommand`);
    return seen;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function getPath(obj: unknown, path: string[]): unknown {
  let node: unknown = obj;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** ENTRAWATCH_SINKS__HEC__TLS__REJECT_UNAUTHORIZED -> [sinks, hec, tls, rejectUnauthorized] (src/config/load.ts) */
function envNameToPath(name: string): string[] {
  return name
    .slice('ENTRAWATCH_'.length)
    .split('__')
    .map((s) => s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
}

/**
 * The documented short names a worker reads: how each must show in the loaded config, and a second value to try
 * (a value equal to the default would pass even when the variable is ignored).
 */
const WORKER_SHORT_NAMES: Record<string, { probe: string; applied: (c: WorkerCommandConfig, value: string) => boolean }> = {
  ENTRAWATCH_HEC_TOKEN: { probe: '9d3b7c1a-0000-4000-8000-00000000beef', applied: (c, v) => c.sinks.hec?.token === v },
  ENTRAWATCH_REDIS_URL: { probe: 'redis://probe:6379', applied: (c, v) => c.state.backend === 'redis' && c.state.redis.url === v },
  ENTRAWATCH_KAFKA_BROKERS: { probe: 'probe:9092', applied: (c, v) => c.kafka.brokers.join(',') === v },
  ENTRAWATCH_KAFKA_SASL_PASSWORD: { probe: 'probe-password', applied: (c, v) => c.kafka.sasl?.password === v },
  ENTRAWATCH_LOG_LEVEL: { probe: 'trace', applied: (c, v) => c.log.level === v },
};

describe('docker-compose.yml', () => {
  it('has kafka, redis and worker by default, and bridge, replay and splunk behind their profiles', () => {
    for (const name of ['kafka', 'redis', 'worker']) expect(service(name).profiles, name).toBeUndefined();
    for (const name of ['bridge', 'replay', 'splunk']) expect(service(name).profiles, name).toEqual([name]);
    expect(entrawatchServices.map(([n]) => n).sort()).toEqual(['bridge', 'replay', 'worker']);
  });

  it('lets the worker scale (--scale worker=N): no container name, no published host ports', () => {
    const worker = service('worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.expose?.map(String)).toContain('9464');
    for (const [name, s] of entrawatchServices) expect(s.container_name, name).toBeUndefined();
  });

  it('starts entrawatch only once Kafka and Redis are healthy, and both have a health check', () => {
    for (const name of ['kafka', 'redis']) {
      const test = service(name).healthcheck?.test;
      expect(Array.isArray(test) && test.length > 1, `${name} healthcheck.test`).toBe(true);
    }
    for (const [name, s] of entrawatchServices) {
      expect(s.depends_on, name).toEqual({ kafka: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
  });

  it("gives the image's HEALTHCHECK (the worker's /healthz) only to the worker; bridge and replay switch it off", () => {
    const healthcheck = finalStage.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/\/healthz/);
    expect(service('worker').healthcheck?.disable).not.toBe(true);
    for (const name of ['bridge', 'replay']) expect(service(name).healthcheck?.disable, name).toBe(true);
  });

  it('runs a real entrawatch subcommand with options it accepts in every entrawatch service', async () => {
    const expected: Record<string, string> = { worker: 'worker', bridge: 'bridge', replay: 'replay' };
    for (const [name, s] of entrawatchServices) {
      const parsed = await parseCommandLine(commandOf(s)).catch((err: Error) => {
        throw new Error(`service ${name}: "${commandOf(s).join(' ')}" does not parse: ${err.message}`);
      });
      expect(parsed.name, name).toBe(expected[name]);
    }
    const worker = await parseCommandLine(commandOf(service('worker')));
    expect(worker.opts.config).toBe(CONFIG_IN_CONTAINER);
    const bridge = await parseCommandLine(commandOf(service('bridge')));
    expect(bridge.opts.config).toBe(CONFIG_IN_CONTAINER);
  });

  it('names only paths that exist: mounted from the repository or copied into the image', () => {
    for (const [name, s] of entrawatchServices) {
      for (const m of bindMountsOf(s)) {
        expect(existsSync(join(dirname(COMPOSE), m.source)), `${name}: mount source ${m.source}`).toBe(true);
        expect(m.readOnly, `${name}: ${m.target} is mounted read-only`).toBe(true);
      }
      for (const arg of commandOf(s).filter((a) => a.startsWith('/'))) {
        const mounted = hostFileFor(s, arg);
        const repoPath = mounted ?? repoPathInImage(arg);
        expect(repoPath, `${name}: ${arg} is neither mounted nor copied into the image`).toBeDefined();
        expect(existsSync(repoPath!), `${name}: ${arg} -> ${repoPath}`).toBe(true);
      }
    }
    for (const s of Object.values(services)) {
      for (const v of namedVolumesOf(s)) expect(Object.keys(compose.volumes ?? {}), `volume ${v.volume}`).toContain(v.volume);
    }
  });

  it('keeps Kafka log data in its volume (the image drops its defaults once settings come as variables)', () => {
    const kafka = service('kafka');
    const target = namedVolumesOf(kafka).find((v) => v.volume === 'kafka-data')?.target;
    expect(target).toBeDefined();
    expect(environmentOf(kafka).KAFKA_LOG_DIRS).toBe(target);
    expect(environmentOf(kafka).KAFKA_ADVERTISED_LISTENERS).toContain('kafka:9092');
  });

  it('gives the worker more time than its drain before SIGKILL (stop_grace_period > pipeline.drainTimeoutMs)', () => {
    const grace = durationMs(service('worker').stop_grace_period ?? '10s'); // docker's default is 10 s
    expect(grace).toBeGreaterThan(workerConfigWith().pipeline.drainTimeoutMs);
  });

  it('takes secrets only from the host environment, never as literals in the file', () => {
    const secrets = rawEnvironmentValues(COMPOSE).filter((e) => /TOKEN|PASSWORD|CONNECTION_STRING|SECRET/.test(e.name));
    expect(secrets.length).toBeGreaterThan(0);
    for (const e of secrets) expect(e.value, `${e.service}: ${e.name}`).toMatch(/^\$\{[A-Z_]+(:?-)?\}$/);
  });

  it('sets only ENTRAWATCH_* variables that the entrawatch command of that service reads', async () => {
    const worker = service('worker');
    for (const [name, value] of Object.entries(environmentOf(worker))) {
      if (!name.startsWith('ENTRAWATCH_')) continue;
      if (name.includes('__')) {
        // a config path: after loading, the key must be there (zod drops unknown keys) and hold the value
        const path = envNameToPath(name);
        const loaded = getPath(workerConfigWith({ [name]: value }), path);
        expect(loaded, `${name} -> ${path.join('.')} is not a key of the worker config`).toBeDefined();
        expect(Array.isArray(loaded) ? loaded.join(',') : String(loaded), `${name} -> ${path.join('.')}`).toBe(value);
      } else {
        const short = WORKER_SHORT_NAMES[name];
        expect(short, `${name} is not a documented short name of the worker`).toBeDefined();
        for (const v of [value, short!.probe]) {
          expect(short!.applied(workerConfigWith({ [name]: v }), v), `the worker ignores ${name}=${v}`).toBe(true);
        }
      }
    }
    // the bridge applies no ENTRAWATCH_A__B overrides: only its short names
    const bridge = service('bridge');
    const bridgeEnv = environmentOf(bridge);
    for (const name of Object.keys(bridgeEnv).filter((n) => n.startsWith('ENTRAWATCH_'))) {
      expect(['ENTRAWATCH_EVENTHUBS_CONNECTION_STRING', 'ENTRAWATCH_LOG_LEVEL', 'ENTRAWATCH_REDIS_URL'], `bridge reads no ${name}`).toContain(name);
    }
    const parsed = await parseCommandLine(commandOf(bridge), bridgeEnv);
    expect(parsed.opts.logLevel).toBe(bridgeEnv.ENTRAWATCH_LOG_LEVEL);
    for (const [name, s] of entrawatchServices.filter(([n]) => n !== 'worker' && n !== 'bridge')) {
      expect(Object.keys(environmentOf(s)).filter((n) => n.startsWith('ENTRAWATCH_')), name).toEqual([]);
    }
  });
});

describe('deploy/entrawatch.compose.yaml (mounted as the config of every entrawatch service)', () => {
  it('loads with loadWorkerConfig under the worker service environment and points at the compose services', () => {
    const config = workerConfigWith();
    expect(config.kafka.brokers).toEqual(['kafka:9092']);
    const replay = commandOf(service('replay'));
    expect(config.kafka.topics).toEqual([replay[replay.indexOf('--topic') + 1]]);
    expect(replay[replay.indexOf('--brokers') + 1]).toBe(config.kafka.brokers.join(','));
    expect(config.state).toEqual({ backend: 'redis', redis: { url: 'redis://redis:6379', keyPrefix: 'entrawatch:' } });
    expect(config.jobs.enabled).toBe(true);
    expect(config.sinks.hec?.urls).toEqual(['https://splunk:8088']);
    expect(config.sinks.hec?.token).toBe(HEC_TOKEN);
    expect(config.sinks.hec?.tls.rejectUnauthorized).toBe(true);
    expect(config.metrics.port).toBe(9464);
    expect(config.log.level).toBe('info');
  });

  it('fails loudly, naming the key, when the host gives no HEC token', () => {
    const noToken = loadComposeFile(COMPOSE, {}).services.worker!;
    const file = hostFileFor(noToken, CONFIG_IN_CONTAINER)!;
    expect(() => loadWorkerConfig(file, environmentOf(noToken))).toThrow(/sinks\.hec\.token/);
  });

  it("carries the bundled example's placeholders and rules, and paths: [rules] compiles the bundled rules", async () => {
    const file = hostFileFor(service('worker'), CONFIG_IN_CONTAINER)!;
    const mine = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const example = parse(readFileSync(join(ROOT, 'entrawatch.example.yaml'), 'utf8')) as Record<string, unknown>;
    expect(mine.placeholders).toEqual(example.placeholders);
    expect(mine.rules).toEqual(example.rules);
    // in the container the config sits in /etc/entrawatch, which has no rules/: the bundled ones are used
    expect(resolveRulePath('rules', '/etc/entrawatch')).toBe(join(ROOT, 'rules'));
    const config = workerConfigWith();
    const engine = await createRuleEngine({ rules: config.rules, placeholders: config.placeholders, store: new MemoryCounterStore(), baseDir: dirname(CONFIG_IN_CONTAINER) });
    expect(engine.rulePlans.length).toBeGreaterThan(40);
    expect(engine.correlations.length).toBeGreaterThan(5);
  });

  it('has a bridge section that loads and resolves its secrets from the bridge service environment', async () => {
    const bridge = service('bridge');
    const config = await loadBridgeConfig(hostFileFor(bridge, CONFIG_IN_CONTAINER)!);
    const secrets = resolveBridgeSecrets(config, { env: environmentOf(bridge) });
    expect(secrets.eventHubs.host).toBe('contoso-logs.servicebus.windows.net');
    expect(secrets.redisUrl).toBe('redis://redis:6379');
    expect(config.kafka.brokers).toEqual(['kafka:9092']);
    // the bridge writes where the workers read
    const topics = new Set(config.eventHubs.hubs.map((h) => topicForHub(config, h)));
    expect([...topics]).toEqual(workerConfigWith().kafka.topics);
  });
});

/** where a repository path lands in the final image, through the final stage's COPY instructions */
function imageLayout(stage: Stage): Array<{ from?: string; source: string; imagePath: string }> {
  let workdir = '/';
  const out: Array<{ from?: string; source: string; imagePath: string }> = [];
  for (const i of stage.instructions) {
    if (i.keyword === 'WORKDIR') workdir = posix.resolve(workdir, i.args.trim());
    if (i.keyword !== 'COPY') continue;
    const copy = parseCopy(i.args);
    const dest = posix.resolve(workdir, copy.dest);
    const intoDir = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
    for (const source of copy.sources) {
      const isDir = copy.from === undefined ? existsSync(join(ROOT, source)) && statSync(join(ROOT, source)).isDirectory() : !/\.\w+$/.test(source);
      const imagePath = intoDir && !isDir ? posix.join(dest, basename(source)) : dest;
      out.push({ from: copy.from, source, imagePath });
    }
  }
  return out;
}

/** the repository file behind an absolute path in the final image, when it comes from a plain COPY */
function repoPathInImage(path: string): string | undefined {
  for (const e of imageLayout(finalStage)) {
    if (e.from !== undefined) continue;
    if (path === e.imagePath || path.startsWith(`${e.imagePath}/`)) return join(ROOT, e.source, path.slice(e.imagePath.length));
  }
  return undefined;
}

function workdirOf(stage: Stage): string {
  return stage.instructions.filter((i) => i.keyword === 'WORKDIR').reduce((w, i) => posix.resolve(w, i.args.trim()), '/');
}

describe('Dockerfile', () => {
  it('copies only sources that exist and that .dockerignore lets into the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((p) => new RegExp(`^${p.replace(/\/$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`));
    for (const stage of stages) {
      for (const i of stage.instructions.filter((x) => x.keyword === 'COPY')) {
        const copy = parseCopy(i.args);
        if (copy.from !== undefined) {
          expect(stages.some((s) => s.name === copy.from), `COPY --from=${copy.from} names a stage`).toBe(true);
          continue;
        }
        for (const source of copy.sources) {
          expect(existsSync(join(ROOT, source)), `COPY ${source}`).toBe(true);
          expect(ignore.filter((re) => re.test(source)).map(String), `COPY ${source} is excluded by .dockerignore`).toEqual([]);
        }
      }
    }
  });

  it('has in the build stage every file `npm run build` reads, at the path the script uses', () => {
    const build = stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /npm run build/.test(i.args)));
    expect(build).toBeDefined();
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build!;
    const inputs = new Set(script.split(/\s+/).filter((t) => !t.startsWith('-') && /[./]/.test(t) && existsSync(join(ROOT, t))));
    // tsconfig chains and the folders they compile
    for (const t of [...inputs].filter((x) => x.endsWith('.json'))) {
      const tsconfig = JSON.parse(readFileSync(join(ROOT, t), 'utf8')) as { extends?: string; include?: string[] };
      if (tsconfig.extends) inputs.add(posix.normalize(tsconfig.extends));
      for (const inc of tsconfig.include ?? []) inputs.add(inc);
    }
    expect([...inputs]).toEqual(expect.arrayContaining(['tsconfig.build.json', 'scripts/copy-build-assets.mjs', 'src']));
    const workdir = workdirOf(build!);
    const layout = imageLayout(build!);
    for (const input of inputs) {
      const want = posix.join(workdir, input);
      const copied = layout.some((e) => e.from === undefined && (want === e.imagePath || want.startsWith(`${e.imagePath}/`)) && posix.join(workdir, e.source) === e.imagePath.replace(/\/$/, '') );
      expect(copied, `${input} is not copied to ${want} before npm run build`).toBe(true);
    }
  });

  it('runs the final stage as a non-root user, with the entrypoint, package.json, dist and bundled rules in place', () => {
    const user = finalStage.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args.trim();
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const entrypoint = execArgs(finalStage.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.args);
    const script = entrypoint.find((a) => a.endsWith('.js'))!;
    expect(existsSync(repoPathInImage(script) ?? '/nonexistent'), `ENTRYPOINT ${script}`).toBe(true);
    const workdir = workdirOf(finalStage);
    // packageRoot() finds /app/package.json (name entrawatch); `paths: [rules]` falls back to /app/rules
    expect(repoPathInImage(posix.join(workdir, 'package.json'))).toBe(join(ROOT, 'package.json'));
    expect(repoPathInImage(posix.join(workdir, 'rules'))).toBe(join(ROOT, 'rules'));
    const build = stages.find((s) => s !== finalStage && s.instructions.some((i) => /npm run build/.test(i.args)))!;
    const fromBuild = imageLayout(finalStage).filter((e) => e.from === build.name);
    expect(fromBuild.map((e) => [e.source, e.imagePath])).toEqual(
      expect.arrayContaining([
        [posix.join(workdirOf(build), 'dist'), posix.join(workdir, 'dist')],
        [posix.join(workdirOf(build), 'node_modules'), posix.join(workdir, 'node_modules')],
      ]),
    );
  });

  it('health-checks and exposes the port the mounted config serves /healthz on', () => {
    const port = workerConfigWith().metrics.port;
    const health = finalStage.instructions.find((i) => i.keyword === 'HEALTHCHECK')!.args;
    expect(/:(\d+)\/healthz/.exec(health)?.[1]).toBe(String(port));
    expect(finalStage.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args.trim())).toContain(String(port));
  });
});
