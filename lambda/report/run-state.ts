/**
 * The per-cluster state object of the S3 store: which run of a cluster was stored last (and the one before), so the
 * next run finds its previous findings with two reads — the state object, then the findings object it names —
 * instead of listing the bucket. It lives outside the findings prefix, where the Glue table never reads.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Finding, FindingCluster } from '../audit/finding.js';
import { awsFailureText } from '../aws-failure.js';
import { decodeFindings } from './jsonl.js';
import { safeKeyPart } from './store-layout.js';

/** Key prefix of the state objects. */
export const STATE_PREFIX = 'state';

/** One stored run of a cluster. */
export interface StoredRun {
  run_id: string;
  observed_at: string;
  /** The findings object of the run. */
  key: string;
}

/** What the state object holds: the latest stored run, and the one before it (a retried run must not see itself). */
export interface ClusterState {
  latest: StoredRun;
  previous?: StoredRun;
}

/** The state object's key: `state/<account>/<region>/<cluster>.json`, `_` for a part that is unknown. */
export function stateKey(cluster: FindingCluster): string {
  const parts = [cluster.account_id ?? '_', cluster.region ?? '_', cluster.name].map(safeKeyPart);
  return `${STATE_PREFIX}/${parts.join('/')}.json`;
}

/** The cluster's history as this run sees it: its state (absent on a first run) and the previous run's findings. */
export interface ClusterHistory {
  state?: ClusterState;
  /** [] on the first run of the cluster: every failure is then new. */
  previous: Finding[];
}

/**
 * Reads the state of `cluster` and the findings of its previous run — the latest stored run unless that is `runId`
 * itself (a retry), then the one before. A cluster without a state object has no previous run. Throws one line naming
 * the object that could not be read or decoded; the caller then leaves the findings without a change.
 */
export async function readClusterHistory(s3: S3Client, bucket: string, cluster: FindingCluster, runId: string): Promise<ClusterHistory> {
  const key = stateKey(cluster);
  const text = await readText(s3, bucket, key);
  if (text === undefined) return { previous: [] };
  const state = parseState(text, `s3://${bucket}/${key}`);
  const run = state.latest.run_id === runId ? state.previous : state.latest;
  if (run === undefined) return { state, previous: [] };
  const body = await readBytes(s3, bucket, run.key);
  if (body === undefined) throw new Error(`s3://${bucket}/${run.key}, the previous run of ${cluster.name}, is gone`);
  try {
    return { state, previous: decodeFindings(body) };
  } catch (error) {
    throw new Error(`s3://${bucket}/${run.key}: ${(error as Error).message}`);
  }
}

/** The state after `run` was stored: it becomes the latest; a retry of the latest run keeps the one before. */
export function nextState(state: ClusterState | undefined, run: StoredRun): ClusterState {
  const previous = state?.latest.run_id === run.run_id ? state.previous : state?.latest;
  return previous ? { latest: run, previous } : { latest: run };
}

/** Writes the state of `cluster`; throws one line naming the object. */
export async function writeClusterState(s3: S3Client, bucket: string, cluster: FindingCluster, state: ClusterState): Promise<void> {
  const key = stateKey(cluster);
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(state), ContentType: 'application/json' }));
  } catch (error) {
    throw new Error(`cannot write s3://${bucket}/${key}: ${awsFailureText(error)}`);
  }
}

function parseState(text: string, where: string): ClusterState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON`);
  }
  const state = value as Partial<ClusterState> | null;
  if (!isStoredRun(state?.latest) || (state?.previous !== undefined && !isStoredRun(state.previous))) {
    throw new Error(`${where} is not a cluster state (latest and previous runs with run_id, observed_at and key)`);
  }
  return state as ClusterState;
}

function isStoredRun(value: unknown): value is StoredRun {
  const run = value as Record<string, unknown> | null | undefined;
  return typeof run === 'object' && run !== null && ['run_id', 'observed_at', 'key'].every((field) => typeof run[field] === 'string');
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  return (await readBytes(s3, bucket, key))?.toString('utf8');
}

/** The object's bytes, or undefined when there is no such object. */
export async function readBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error('no body');
    return Buffer.from(await Body.transformToByteArray());
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw new Error(`cannot read s3://${bucket}/${key}: ${awsFailureText(error)}`);
  }
}
