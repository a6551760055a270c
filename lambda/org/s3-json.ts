/**
 * The run's JSON documents in S3 (the plan, the cluster list, the Distributed Map's manifest and result files): one
 * place that writes and reads them, with failures told in one line naming the object.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsFailureText } from '../aws-failure.js';

/** Writes `document` as JSON at `s3://bucket/key`; throws naming the object. */
export async function putJson(s3: S3Client, bucket: string, key: string, document: unknown): Promise<void> {
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(document), ContentType: 'application/json' }));
  } catch (error) {
    throw new Error(`cannot write s3://${bucket}/${key}: ${awsFailureText(error)}`);
  }
}

/** The bytes of `s3://bucket/key`; throws naming the object. */
export async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    throw new Error(`cannot read s3://${bucket}/${key}: ${awsFailureText(error)}`);
  }
}

/** The JSON document at `s3://bucket/key`; throws naming the object when it is missing or not JSON. */
export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const bytes = await getBytes(s3, bucket, key);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new Error(`s3://${bucket}/${key} is not JSON`);
  }
}
