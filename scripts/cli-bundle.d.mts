import type { BuildOptions } from 'esbuild';

export declare const CLI_BUNDLED: string[];
export declare function cliBundleOptions(define?: Record<string, string>): BuildOptions;
