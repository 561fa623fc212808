import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it lived at `file` and returns the allow-list messages. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'lariat/import-allow-list').map((m) => m.message);
}

describe('process boundaries are allow-lists', () => {
  test('the renderer may not import Node, SQLite, the AWS SDK or main/', async () => {
    const errors = await boundaryErrors(
      'renderer/lib/probe.ts',
      [
        "import fs from 'node:fs';",
        "import Database from 'better-sqlite3';",
        "import { EC2Client } from '@aws-sdk/client-ec2';",
        "import { createServices } from '../../main/services';",
        'export const x = [fs, Database, EC2Client, createServices];',
      ].join('\n'),
    );
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(/"better-sqlite3"/);
    expect(errors.join('\n')).toMatch(/"@aws-sdk\/client-ec2"/);
    expect(errors.join('\n')).toMatch(/reaches main\/services/);
  });

  test('the renderer may import React, TanStack and common/', async () => {
    const code = [
      "import { useState } from 'react';",
      "import { useQuery } from '@tanstack/react-query';",
      "import { contract } from '../../common/contract';",
      'export const x = [useState, useQuery, contract];',
    ].join('\n');
    expect(await boundaryErrors('renderer/lib/probe.ts', code)).toEqual([]);
  });

  test('common/ may import zod and nothing of Node or main', async () => {
    const code = [
      "import * as z from 'zod';",
      "import { readFile } from 'fs/promises';",
      "import Database from 'better-sqlite3';",
      "import { AppError } from '../main/core/errors';",
      'export const x = [z, readFile, Database, AppError];',
    ].join('\n');
    const errors = await boundaryErrors('common/probe.ts', code);
    expect(errors).toHaveLength(3);
  });

  test('main/ may not import Electron outside main/electron, nor a devDependency', async () => {
    const code = "import { app } from 'electron';\nimport { chromium } from 'playwright-core';\nexport const x = [app, chromium];";
    expect(await boundaryErrors('main/core/probe.ts', code)).toHaveLength(2);
    expect(await boundaryErrors('main/electron/probe.ts', "import { app } from 'electron';\nexport const x = app;")).toEqual([]);
  });

  test('preload/ may import electron and common/ only', async () => {
    const code = "import { contextBridge } from 'electron';\nimport fs from 'node:fs';\nexport const x = [contextBridge, fs];";
    expect(await boundaryErrors('preload/probe.ts', code)).toHaveLength(1);
  });

  test('zod is imported as a namespace, which the bundles can shake (test/unit/foundation/cli-start.test.ts)', async () => {
    const lint = async (code: string) =>
      (await eslint.lintText(code, { filePath: path.join(root, 'common/contract/probe.ts') }))[0]!.messages.map((m) => m.ruleId);
    expect(await lint("import { z } from 'zod';\nexport const s = z.string();")).toEqual(['no-restricted-syntax']);
    expect(await lint("import z from 'zod';\nexport const s = z.string();")).toEqual(['no-restricted-syntax']);
    expect(await lint("import * as z from 'zod';\nexport const s = z.string();")).toEqual([]);
    // A type-only import is erased before bundling.
    expect(await lint("import type { z } from 'zod';\nexport type S = z.ZodString;")).toEqual([]);
  });
});
