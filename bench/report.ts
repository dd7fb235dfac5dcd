import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes one benchmark's section of docs/benchmarks.md between its markers, keeping the others:
 * each benchmark can be run alone and the page keeps every latest result.
 */
export const writeSection = (file: string, name: string, content: string): void => {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${content.trim()}\n${end}`;
  const page = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  const next = from >= 0 && to > from ? `${page.slice(0, from)}${section}${page.slice(to + end.length)}` : `${page.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
};
