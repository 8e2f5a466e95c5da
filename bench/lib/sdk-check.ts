// Compile-time only: the structural SDK types in sdk.ts must accept the real exports of src/, so
// the bench breaks at `tsc` (not at run time) when the public API changes.
import type * as Index from '../../src/index.js';
import type * as Handler from '../../src/handler/index.js';
import type * as Node from '../../src/adapters/node.js';
import type { BenchSdk, BenchSdkCalls, BenchSdkClientSecrets, BenchSdkNode } from './sdk.js';

type Real = Pick<typeof Index, 'RealtimeApi'> & Pick<typeof Handler, 'createSessionHandler'>;

export type SdkMatches = Real extends BenchSdk ? true : never;
export type SdkNodeMatches = typeof Node extends BenchSdkNode ? true : never;
export type SdkClientSecretsMatches = Real extends BenchSdkClientSecrets ? true : never;
export type SdkCallsMatches = Real extends BenchSdkCalls ? true : never;
export const sdkMatches: SdkMatches = true;
export const sdkNodeMatches: SdkNodeMatches = true;
export const sdkClientSecretsMatches: SdkClientSecretsMatches = true;
export const sdkCallsMatches: SdkCallsMatches = true;
