import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type Config } from './config-schema';

/**
 * Loads and validates the config (docs/spec/http-api.md "Configuration"). Every problem becomes one line naming the
 * JSON path (`merchants[0].payu.apiKey: required`); `"env:NAME"` strings are read from the environment;
 * values are never echoed, so secrets cannot leak into logs.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Path = readonly (string | number | symbol)[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(root)';
}

/** Deeper than any real config; a hostile file must fail as a ConfigError, not overflow the stack. */
const MAX_DEPTH = 32;

function resolveEnv(value: unknown, env: NodeJS.ProcessEnv, path: Path, problems: string[]): unknown {
  if (path.length > MAX_DEPTH) {
    problems.push(`${formatPath(path.slice(0, 4))}: nested too deeply`);
    return undefined;
  }
  if (typeof value === 'string' && value.startsWith('env:')) {
    const name = value.slice(4);
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
      return undefined;
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnv(v, env, [...path, i], problems));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveEnv(v, env, [...path, k], problems)]),
    );
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

/** Validates an already-parsed config object; throws ConfigError with one line per problem. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const resolved = resolveEnv(raw, env, [], problems);
  const parsed = configSchema.safeParse(resolved);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const line = `${formatPath(issue.path)}: ${describeIssue(issue)}`;
      // A missing env var is already reported; "required" for the same path would say it twice.
      if (!problems.some((p) => p.startsWith(`${formatPath(issue.path)}:`))) problems.push(line);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${path}: not valid JSON (${(err as Error).message})`]);
  }
  return parseConfig(raw, env);
}
