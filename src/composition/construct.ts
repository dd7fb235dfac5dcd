import type { ContainerModuleLoadOptions, MapToResolvedValueInjectOptions } from 'inversify';
import type { Token } from './tokens.js';

type Tokens<A extends unknown[]> = { [K in keyof A]: Token<A[K]> };

/**
 * What `toResolvedValue` takes: the tokens to resolve and a factory of what they resolve to. The
 * factory's parameters take their types from the tokens, so a token of the wrong type, or in the
 * wrong place, does not compile.
 */
export const factory = <A extends unknown[], T>(dependencies: [...Tokens<A>], make: (...args: A) => T): [(...args: A) => T, Tokens<A>] => [
  make,
  dependencies as Tokens<A>,
];

/** `factory` for a class whose constructor takes exactly what the tokens resolve to, in their order. */
export const construct = <A extends unknown[], T>(Type: new (...args: A) => T, dependencies: [...Tokens<A>]): [(...args: A) => T, Tokens<A>] =>
  factory<A, T>(dependencies, (...args) => new Type(...args));

/** `factory` for a record: each of its properties resolved from its own token. */
export const gather = <R extends object>(tokens: { [K in keyof R]-?: Token<R[K]> }): [(...args: unknown[]) => R, Token<unknown>[]] => {
  const names = Object.keys(tokens) as (keyof R)[];
  return [(...values) => Object.fromEntries(names.map((name, i) => [name, values[i]])) as R, names.map((name) => tokens[name] as Token<unknown>)];
};

/** Binds each token to one value, made once, when it is first asked for, from what `construct`, `factory` or `gather` say. */
export const singletons =
  (bind: ContainerModuleLoadOptions['bind']) =>
  <T, A extends unknown[]>(token: Token<T>, [make, dependencies]: [(...args: A) => T | Promise<T>, Tokens<A> | Token<unknown>[]]): void => {
    bind(token)
      .toResolvedValue(make, dependencies as MapToResolvedValueInjectOptions<A>)
      .inSingletonScope();
  };
