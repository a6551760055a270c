/**
 * A Lambda function of this project: TypeScript bundled with the local esbuild (never Docker) into one ES module, as
 * lib/handler-bundle.ts describes, on Node.js 24 and ARM64. The single-account auditor and the organization mode's
 * functions are all built here, so every deployed bundle is built the same way as the one the tests measure.
 */
import { join } from 'node:path';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { HANDLER_BUNDLE, PROJECT_ROOT } from './handler-bundle.js';

/** What differs between the functions: everything but the runtime, the architecture and the bundling. */
export type BundledFunctionProps = Omit<NodejsFunctionProps, 'runtime' | 'architecture' | 'bundling' | 'projectRoot' | 'depsLockFilePath'> & {
  entry: string;
  /** Files copied into the package beside the code, by name in the package: configuration that deploys with it. */
  files?: Record<string, string>;
};

/** A NodejsFunction with the project's runtime, architecture and bundling. */
export function bundledFunction(scope: Construct, id: string, { files, ...props }: BundledFunctionProps): NodejsFunction {
  return new NodejsFunction(scope, id, {
    ...props,
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    bundling: {
      format: OutputFormat.ESM,
      minify: HANDLER_BUNDLE.minify,
      sourceMap: HANDLER_BUNDLE.sourcemap,
      sourcesContent: HANDLER_BUNDLE.sourcesContent,
      mainFields: [...HANDLER_BUNDLE.mainFields],
      banner: HANDLER_BUNDLE.banner,
      bundleAwsSDK: true,
      forceDockerBundling: false,
      ...(files && Object.keys(files).length > 0 ? { commandHooks: copyIntoBundle(files) } : {}),
    },
  });
}

/** Bundling hooks that copy each of `files` (name in the package → source path) after esbuild wrote the code. */
function copyIntoBundle(files: Record<string, string>) {
  const quoted = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      Object.entries(files).map(([name, source]) => `cp ${quoted(source)} ${quoted(`${outputDir}/${name}`)}`),
  };
}
