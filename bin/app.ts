/**
 * The CDK app: `cdk synth|deploy` runs this (see cdk.json). It only builds the app from context; a bad context value
 * ends synth with one line naming the key instead of a stack trace.
 */
import { App } from 'aws-cdk-lib';
import { buildAuditorApp } from '../lib/auditor-app.js';
import { SettingsError } from '../lib/settings.js';

try {
  buildAuditorApp(new App());
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
