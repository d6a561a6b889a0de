import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { fromRoot } from './paths';

export type AppName = 'gateway' | 'authz' | 'mcp';

/** One process of scripts/cluster-plan.js clusterPlan. */
export interface PlannedProcess {
  name: string;
  app: AppName;
  command: string[];
  env: Record<string, string>;
}

export interface ClusterPlanModule {
  appCommand(app: AppName): string[];
  clusterPlan(options: {
    storeUrl: string;
    keysEncryptionKey: string;
    ports: { gateway: number; gatewayAdmin: number; authz: number[]; mcp: number[] };
  }): PlannedProcess[];
}

/** The plan `npm run start:cluster` and the cluster test run (plain CommonJS, shared with them). */
export const clusterPlanModule = createRequire(__filename)(
  fromRoot('scripts/cluster-plan.js'),
) as ClusterPlanModule;

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | null>;
  ports?: string[];
}

/** compose.yaml as Docker Compose reads it: YAML 1.2 with merge keys (`<<: *anchor`). */
export function readCompose(): { services: Record<string, ComposeService> } {
  return parse(readFileSync(fromRoot('compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
}

/**
 * Compose's interpolation of one value (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`, `$$`), from `host`, the
 * environment `docker compose` runs in. Any other form throws, so the test never guesses what Compose would do.
 */
export function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}|\$/g,
    (match, name, operator, operand) => {
      if (match === '$$') return '$';
      if (match === '$') throw new Error(`unsupported interpolation in ${JSON.stringify(value)}`);
      const set = host[name as string];
      if (set !== undefined && set !== '') return set;
      if (operator === ':?') throw new Error(`${name as string}: ${operand as string}`);
      return operator === ':-' ? (operand as string) : '';
    },
  );
}

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's stages by name (`FROM ... AS name`), each with its instructions in order. */
export function readDockerfileStages(): Map<string, Instruction[]> {
  const text = readFileSync(fromRoot('Dockerfile'), 'utf8');
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') {
      current = [];
      stages.set(/\sAS\s+(\S+)$/i.exec(args)?.[1] ?? String(stages.size), current);
    }
    current?.push(instruction);
  }
  return stages;
}
