// The entry point GitHub runs (bundled into dist/index.js). Everything happens in run().
import { run } from './main.ts';

await run();
