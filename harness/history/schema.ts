// JSON Schemas of the two JSONL line kinds (docs/history.md prints them), and
// the validator that enforces them on load. The validator is hand-written to
// the same rules so that loading needs no schema engine; schema.test.ts keeps
// the two in step.
import { HISTORY_FORMAT, type HistoryEvent, type RunMetadata } from './types.ts';

export const metadataSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://zooproof.dev/schema/history-metadata.json',
  title: 'zooproof history: first line (run metadata)',
  type: 'object',
  required: ['format'],
  properties: {
    format: { const: HISTORY_FORMAT },
    scenario: { type: 'string' },
    seed: { type: ['integer', 'string'] },
    startedAt: { type: 'string', format: 'date-time' },
    nodes: { type: 'array', items: { type: 'string' } },
    model: { type: 'string' },
  },
  additionalProperties: true,
} as const;

export const eventSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://zooproof.dev/schema/history-event.json',
  title: 'zooproof history: one operation event',
  type: 'object',
  required: ['index', 'process', 'type', 'f', 'value', 'time'],
  properties: {
    index: { type: 'integer', minimum: 0, description: 'strictly increasing from 0, one per line' },
    process: { oneOf: [{ type: 'integer', minimum: 0 }, { const: 'nemesis' }] },
    type: { enum: ['invoke', 'ok', 'fail', 'info'] },
    f: { type: 'string', minLength: 1 },
    value: { description: 'any JSON value; null when none' },
    time: { type: 'integer', minimum: 0, description: 'monotonic ns, non-decreasing' },
    key: { type: ['string', 'integer'] },
    node: { type: 'string' },
    session: { type: 'string', pattern: '^0x[0-9a-fA-F]+$' },
    zxid: { type: 'integer', minimum: 0 },
    error: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const eventKeys = new Set(Object.keys(eventSchema.properties));
const eventTypes = new Set<string>(eventSchema.properties.type.enum);

function isNonNegativeInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks one event against `eventSchema`; returns what is wrong, or null. */
export function eventProblem(x: unknown): string | null {
  if (!isObject(x)) return 'an event must be a JSON object';
  for (const k of eventSchema.required) if (!(k in x)) return `missing required field '${k}'`;
  for (const k of Object.keys(x)) if (!eventKeys.has(k)) return `unknown field '${k}'`;
  if (!isNonNegativeInteger(x.index)) return `'index' must be a non-negative integer, got ${JSON.stringify(x.index)}`;
  if (x.process !== 'nemesis' && !isNonNegativeInteger(x.process)) {
    return `'process' must be a non-negative integer or "nemesis", got ${JSON.stringify(x.process)}`;
  }
  if (typeof x.type !== 'string' || !eventTypes.has(x.type)) {
    return `'type' must be one of invoke, ok, fail, info; got ${JSON.stringify(x.type)}`;
  }
  if (typeof x.f !== 'string' || x.f.length === 0) return `'f' must be a non-empty string`;
  if (!isNonNegativeInteger(x.time)) return `'time' must be a non-negative integer (ns), got ${JSON.stringify(x.time)}`;
  return optionalFieldProblem(x);
}

function optionalFieldProblem(x: Record<string, unknown>): string | null {
  if ('key' in x && typeof x.key !== 'string' && !Number.isSafeInteger(x.key)) return `'key' must be a string or an integer`;
  if ('node' in x && typeof x.node !== 'string') return `'node' must be a string`;
  if ('session' in x && (typeof x.session !== 'string' || !/^0x[0-9a-fA-F]+$/.test(x.session))) {
    return `'session' must be a hex string like "0x1a2b", got ${JSON.stringify(x.session)}`;
  }
  if ('zxid' in x && !isNonNegativeInteger(x.zxid)) return `'zxid' must be a non-negative integer, got ${JSON.stringify(x.zxid)}`;
  if ('error' in x && typeof x.error !== 'string') return `'error' must be a string`;
  return null;
}

/** Checks the first line against `metadataSchema`; returns what is wrong, or null. */
export function metadataProblem(x: unknown): string | null {
  if (!isObject(x)) return 'the first line (run metadata) must be a JSON object';
  if (x.format !== HISTORY_FORMAT) {
    return `the first line must be run metadata with "format": "${HISTORY_FORMAT}", got format ${JSON.stringify(x.format)}`;
  }
  if ('scenario' in x && typeof x.scenario !== 'string') return `'scenario' must be a string`;
  if ('seed' in x && typeof x.seed !== 'string' && !Number.isSafeInteger(x.seed)) return `'seed' must be an integer or a string`;
  if ('startedAt' in x && typeof x.startedAt !== 'string') return `'startedAt' must be an ISO 8601 string`;
  if ('nodes' in x && (!Array.isArray(x.nodes) || !x.nodes.every((n) => typeof n === 'string'))) {
    return `'nodes' must be an array of strings`;
  }
  if ('model' in x && typeof x.model !== 'string') return `'model' must be a string`;
  return null;
}

export function asEvent(x: unknown): HistoryEvent {
  const problem = eventProblem(x);
  if (problem !== null) throw new TypeError(problem);
  return x as HistoryEvent;
}

export function asMetadata(x: unknown): RunMetadata {
  const problem = metadataProblem(x);
  if (problem !== null) throw new TypeError(problem);
  return x as RunMetadata;
}
