import fc from 'fast-check';
import { TEST_SEED } from './seeded-random.js';

// Every property runs from one known seed; fast-check prints seed and path of a failure.
fc.configureGlobal({ seed: TEST_SEED, verbose: 1 });
