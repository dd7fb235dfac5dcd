/** Account and transfer ids: what the API accepts, and what ids made by the server look like. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isValidId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);
