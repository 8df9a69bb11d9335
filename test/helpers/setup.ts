/**
 * Runs in every test file (vitest.config.mts `setupFiles`): removes the temporary folders the
 * file's tests made with `tempDir()` once the file has run.
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from './index.js';

afterAll(removeTempDirs);
