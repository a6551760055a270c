/**
 * Runs a synthesized state machine locally: its CloudFormation definition with the tokens resolved, executed by
 * aws-local-stepfunctions with the project's real handlers bound to the Task states by name, Lambda-style (the
 * handler gets the `Payload`; a throw becomes the function error Lambda reports: `errorType` as Error, the JSON
 * error as Cause).
 *
 * aws-local-stepfunctions has no Distributed Map (no ItemReader, ItemBatcher, ResultWriter or tolerated failures),
 * so this module provides one: a Distributed Map state is run here — items read from S3 as its ItemReader says,
 * batched as its ItemBatcher says, child executions run by aws-local-stepfunctions at most MaxConcurrency at once,
 * failures tolerated up to ToleratedFailurePercentage, results written to S3 in ResultWriter's layout (manifest.json
 * and SUCCEEDED_n / FAILED_n files of child execution records). It refuses any field of the state it does not
 * emulate, so a definition cannot rely on something this emulation skips.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';

/** An ASL state, loosely typed: the tests read what they assert. */
export type AslState = Record<string, any>;
/** An ASL definition. */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

type CfnValue = unknown;
/** The local engine's definition type; ours is looser (it comes from JSON). */
type MachineDefinition = ConstructorParameters<typeof StateMachine>[0];

/** Pseudo parameters and resource values that stand in for what CloudFormation would resolve. */
export interface TokenValues {
  account: string;
  region: string;
  /** Values of `Ref` to resources, by logical id (e.g. the bucket's name); others resolve to the logical id. */
  refs?: Record<string, string>;
}

/** The state machine's definition from a synthesized template, every `Ref`, `Fn::GetAtt`, `Fn::Join` resolved. */
export function resolvedDefinition(template: { Resources: Record<string, { Type: string; Properties: any }> }, values: TokenValues): AslDefinition {
  const machines = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const text = resolve((machines[0] as { Properties: { DefinitionString: CfnValue } }).Properties.DefinitionString, template, values);
  return JSON.parse(text as string) as AslDefinition;
}

function resolve(value: CfnValue, template: { Resources: Record<string, { Type: string }> }, values: TokenValues): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, template, values));
  const record = value as Record<string, CfnValue>;
  if ('Ref' in record) return ref(record.Ref as string, values);
  if ('Fn::GetAtt' in record) {
    const [id, attribute] = record['Fn::GetAtt'] as [string, string];
    const type = template.Resources[id]?.Type;
    if (attribute === 'Arn' && type === 'AWS::Lambda::Function') return `arn:aws:lambda:${values.region}:${values.account}:function:${id}`;
    if (attribute === 'Arn' && type === 'AWS::S3::Bucket') return `arn:aws:s3:::${ref(id, values)}`;
    throw new Error(`no test value for Fn::GetAtt ${id}.${attribute} (${type})`);
  }
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, CfnValue[]];
    return parts.map((part) => resolve(part, template, values)).join(separator);
  }
  if ('Fn::Select' in record) {
    const [index, list] = record['Fn::Select'] as [number, CfnValue];
    return (resolve(list, template, values) as unknown[])[index];
  }
  if ('Fn::Split' in record) {
    const [separator, text] = record['Fn::Split'] as [string, CfnValue];
    return (resolve(text, template, values) as string).split(separator);
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolve(item, template, values)]));
}

function ref(id: string, values: TokenValues): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': values.region,
    'AWS::AccountId': values.account,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  return pseudo[id] ?? values.refs?.[id] ?? id;
}

/** A handler as Lambda runs it: the invocation's payload in, the function's result out. */
export type LambdaHandler = (payload: unknown) => Promise<unknown>;

/** What the local run counts, for assertions and the cost estimate of the benchmark. */
export interface LocalRunStats {
  /** Task attempts per state name (retries included): each is a state transition and, for a Lambda task, an invocation. */
  attempts: Record<string, number>;
  /** Time spent in each state's handler, summed over attempts (for GB-seconds). */
  handlerMs: Record<string, number>;
  childExecutions: number;
  /** The most child executions that ran at once. */
  peakChildren: number;
}

/** One local execution. */
export interface LocalRun {
  definition: AslDefinition;
  s3: S3Client;
  /** Handlers by Task state name, at every level (the Distributed Map's item processor too). */
  handlers: Record<string, LambdaHandler>;
  /** Called before each handler attempt: a test throws here to simulate what the Lambda service does (throttling). */
  beforeInvoke?(state: string, payload: unknown): void;
  executionName: string;
  startTime: string;
  input?: unknown;
  /** Pause of every Retry, in ms, instead of the definition's seconds (the definition's values are asserted apart). */
  retryPauseMs?: number;
}

/** Runs `run.definition` to its end and returns its output and the counts; a failed execution throws. */
export async function runLocally(run: LocalRun): Promise<{ output: unknown; stats: LocalRunStats }> {
  const stats: LocalRunStats = { attempts: {}, handlerMs: {}, childExecutions: 0, peakChildren: 0 };
  const bind = (states: Record<string, AslState>) => lambdaBindings(run, stats, states);
  const topLevel: Record<string, AslState> = {};
  const emulated: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, state] of Object.entries(run.definition.States)) {
    if (state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      topLevel[name] = distributedMapStandIn(state);
      emulated[name] = (input) => runDistributedMap(run, stats, name, state, input);
    } else {
      topLevel[name] = state;
    }
  }
  const machine = new StateMachine({ ...run.definition, States: topLevel } as MachineDefinition, { validationOptions: { checkArn: false } });
  const execution = machine.run((run.input ?? {}) as never, {
    overrides: { taskResourceLocalHandlers: { ...bind(topLevel), ...emulated } as never, retryIntervalOverrides: retryOverrides(topLevel, run) },
    context: { Execution: { Name: run.executionName, StartTime: run.startTime, Input: (run.input ?? {}) as never } },
  });
  return { output: await execution.result, stats };
}

const EMULATED_MAP_FIELDS = new Set([
  'Type', 'ItemReader', 'ItemBatcher', 'ItemProcessor', 'MaxConcurrency', 'ToleratedFailurePercentage', 'ResultWriter', 'ResultPath', 'Next', 'End',
]);

/** A Task in place of the Distributed Map: the same transitions and ResultPath, its work done by the emulation. */
function distributedMapStandIn(state: AslState): AslState {
  const unknown = Object.keys(state).filter((field) => !EMULATED_MAP_FIELDS.has(field));
  if (unknown.length > 0) throw new Error(`the Distributed Map emulation does not implement ${unknown.join(', ')}`);
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::emulated:distributedMap',
    // A Map state has no timeout of its own; the local engine gives a Task without one 60 s.
    TimeoutSeconds: 86_400,
    ...(state.ResultPath !== undefined ? { ResultPath: state.ResultPath } : {}),
    ...(state.Next ? { Next: state.Next } : { End: true }),
  };
}

async function runDistributedMap(run: LocalRun, stats: LocalRunStats, name: string, state: AslState, input: unknown): Promise<unknown> {
  const items = await readItems(run.s3, state.ItemReader, input);
  const batches = batch(items, state.ItemBatcher, input);
  const processor = state.ItemProcessor as AslState;
  const { ProcessorConfig: config, ...childDefinition } = processor;
  if (config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') throw new Error(`unknown ExecutionType ${config.ExecutionType}`);
  const child = new StateMachine(childDefinition as MachineDefinition, { validationOptions: { checkArn: false } });
  const overrides = {
    taskResourceLocalHandlers: lambdaBindings(run, stats, childDefinition.States) as never,
    retryIntervalOverrides: retryOverrides(childDefinition.States, run),
  };

  const mapRunId = randomUUID();
  const records: Array<Record<string, unknown>> = new Array(batches.length);
  let running = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      const childInput = batches[index];
      running += 1;
      stats.childExecutions += 1;
      stats.peakChildren = Math.max(stats.peakChildren, running);
      const startDate = new Date().toISOString();
      const base = { ExecutionArn: `arn:aws:states:local:000000000000:execution:${name}/${mapRunId}:${index}`, Input: JSON.stringify(childInput), InputDetails: { Included: true }, Name: String(index), StartDate: startDate };
      try {
        const output = await child.run(childInput as never, { overrides, context: { Execution: { Name: String(index), StartTime: startDate, Input: childInput as never } } }).result;
        records[index] = { ...base, Output: JSON.stringify(output), OutputDetails: { Included: true }, Status: 'SUCCEEDED', StopDate: new Date().toISOString() };
      } catch (error) {
        records[index] = { ...base, Error: (error as Error).name, Cause: (error as Error).message, Status: 'FAILED', StopDate: new Date().toISOString() };
      } finally {
        running -= 1;
      }
    }
  };
  const limit = typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0 ? state.MaxConcurrency : batches.length;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, batches.length)) }, worker));

  const failed = records.filter((record) => record.Status === 'FAILED');
  const tolerated = typeof state.ToleratedFailurePercentage === 'number' ? state.ToleratedFailurePercentage : 0;
  const failedPercent = records.length === 0 ? 0 : (100 * failed.length) / records.length;
  const written = await writeResults(run.s3, state.ResultWriter, input, mapRunId, records);
  if (failedPercent > tolerated) {
    const error = new Error(`${failed.length} of ${records.length} child executions failed`);
    error.name = 'States.ExceedToleratedFailureThreshold';
    throw error;
  }
  return written;
}

async function readItems(s3: S3Client, reader: AslState | undefined, input: unknown): Promise<unknown[]> {
  if (!reader) throw new Error('the Distributed Map has no ItemReader: the emulation reads items from S3 only');
  if (reader.Resource !== 'arn:aws:states:::s3:getObject') throw new Error(`ItemReader resource ${reader.Resource} is not emulated`);
  if (JSON.stringify(reader.ReaderConfig) !== JSON.stringify({ InputType: 'JSON' })) {
    throw new Error(`ItemReader ReaderConfig ${JSON.stringify(reader.ReaderConfig)} is not emulated (only { InputType: JSON })`);
  }
  const { Bucket, Key } = template(reader.Parameters, input) as { Bucket: string; Key: string };
  const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
  const items = JSON.parse(await object.Body!.transformToString()) as unknown;
  if (!Array.isArray(items)) throw new Error(`s3://${Bucket}/${Key} is not a JSON array: ItemReader with InputType JSON needs one`);
  return items;
}

function batch(items: unknown[], batcher: AslState | undefined, input: unknown): unknown[] {
  if (!batcher) return items;
  const unknown = Object.keys(batcher).filter((field) => field !== 'MaxItemsPerBatch' && field !== 'BatchInput');
  if (unknown.length > 0) throw new Error(`ItemBatcher ${unknown.join(', ')} is not emulated`);
  const size = batcher.MaxItemsPerBatch as number;
  const batchInput = batcher.BatchInput === undefined ? undefined : template(batcher.BatchInput, input);
  const batches: unknown[] = [];
  for (let start = 0; start < items.length; start += size) {
    batches.push({ Items: items.slice(start, start + size), ...(batchInput === undefined ? {} : { BatchInput: batchInput }) });
  }
  return batches;
}

async function writeResults(s3: S3Client, writer: AslState | undefined, input: unknown, mapRunId: string, records: Array<Record<string, unknown>>) {
  if (!writer) throw new Error('the Distributed Map has no ResultWriter: its results would be in the state output (256 KB limit)');
  if (writer.Resource !== 'arn:aws:states:::s3:putObject' || writer.WriterConfig !== undefined) {
    throw new Error('only ResultWriter with Resource s3:putObject and the default format is emulated');
  }
  const { Bucket, Prefix } = template(writer.Parameters, input) as { Bucket: string; Prefix: string };
  const base = `${Prefix}/${mapRunId}`;
  const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', Array<{ Key: string; Size: number }>> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const body = JSON.stringify(records.filter((record) => record.Status === status));
    if (body === '[]') continue;
    const key = `${base}/${status}_0.json`;
    await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body }));
    files[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}/manifest.json`;
  const mapRunArn = `arn:aws:states:local:000000000000:mapRun:run/${mapRunId}`;
  await s3.send(new PutObjectCommand({ Bucket, Key: manifestKey, Body: JSON.stringify({ DestinationBucket: Bucket, MapRunArn: mapRunArn, ResultFiles: files }) }));
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket, Key: manifestKey } };
}

/** A payload template: fields ending in `.$` take the value at their path (`$.a.b`), the others are kept. */
function template(fields: Record<string, unknown>, input: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => (key.endsWith('.$') ? [key.slice(0, -2), at(input, value as string)] : [key, value])),
  );
}

function at(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_]+)*$/.test(path)) throw new Error(`path ${path} is not emulated (only $.a.b)`);
  return path.split('.').slice(1).reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], input);
}

/** Lambda-invoke bindings of the Task states of `states` that have a handler. */
function lambdaBindings(run: LocalRun, stats: LocalRunStats, states: Record<string, AslState>) {
  const bindings: Record<string, (input: { Payload: unknown }) => Promise<unknown>> = {};
  for (const [name, state] of Object.entries(states)) {
    const handler = run.handlers[name];
    if (state.Type !== 'Task' || !handler) continue;
    if (state.Resource !== 'arn:aws:states:::lambda:invoke') throw new Error(`state ${name} is not a lambda:invoke task`);
    bindings[name] = async (input) => {
      stats.attempts[name] = (stats.attempts[name] ?? 0) + 1;
      run.beforeInvoke?.(name, input.Payload);
      const started = performance.now();
      try {
        return { StatusCode: 200, Payload: await handler(input.Payload) };
      } catch (error) {
        throw functionError(error);
      } finally {
        stats.handlerMs[name] = (stats.handlerMs[name] ?? 0) + performance.now() - started;
      }
    };
  }
  return bindings;
}

/** The error Step Functions sees when a Lambda function throws: Error is the error's type, Cause its JSON form. */
function functionError(error: unknown): Error {
  const thrown = error instanceof Error ? error : new Error(String(error));
  if (thrown.name.startsWith('Lambda.')) return thrown;
  const failure = new Error(JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message, trace: [] }));
  failure.name = thrown.name;
  return failure;
}

function retryOverrides(states: Record<string, AslState>, run: LocalRun): Record<string, number> {
  if (run.retryPauseMs === undefined) return {};
  return Object.fromEntries(Object.entries(states).filter(([, state]) => state.Retry).map(([name]) => [name, run.retryPauseMs as number]));
}
