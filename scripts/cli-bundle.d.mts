import type { BuildOptions } from 'esbuild';

export declare function cliBundleOptions(define?: Record<string, string>): BuildOptions;
