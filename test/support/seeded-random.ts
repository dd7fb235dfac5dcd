export { seededRandom } from '../../tools/seeded-random.js';

/** The seed of every random choice in the tests: fixed, so runs repeat; TEST_SEED=n explores another. */
export const TEST_SEED: number = process.env['TEST_SEED'] !== undefined ? Number(process.env['TEST_SEED']) : 20_261_127;
