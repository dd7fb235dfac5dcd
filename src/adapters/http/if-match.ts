import { HttpProblem } from './problems/problem-error.js';

/** `*` or one strong entity tag holding a version: `"3"`. */
export const IF_MATCH_PATTERN = '^(\\*|"(0|[1-9][0-9]{0,15})")$';
const IF_MATCH = new RegExp(IF_MATCH_PATTERN);

/**
 * The version a command must find the account at. `*` asks only that the account exist, which every
 * command on `/accounts/{id}/…` checks anyway (404): it sets no version. Lists of tags and weak tags
 * are refused (400): the server keeps one version per account, and weak tags never match.
 */
export const expectedVersionOf = (header: string | string[] | undefined): number | undefined => {
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? IF_MATCH.exec(header) : null;
  const version = match?.[2] === undefined ? undefined : Number(match[2]);
  if (match && match[1] === '*') return undefined;
  if (version === undefined || !Number.isSafeInteger(version)) {
    throw new HttpProblem('validation', 'If-Match must be * or one strong entity tag holding a version, like "3"');
  }
  return version;
};

export const etagOf = (version: number): string => `"${version}"`;
