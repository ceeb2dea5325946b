// Runs in every test file (vitest setupFiles).
import { afterAll } from 'vitest';
import { removeTempDirs } from './harness/temp.ts';

afterAll(removeTempDirs);
