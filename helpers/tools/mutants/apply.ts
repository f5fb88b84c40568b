/**
 * Plants a mutant in a source text. The edit must match exactly once: a find text that no longer
 * matches (the flow was edited since the mutant was written) or matches twice is an error naming
 * the mutant, so the catalog can never rot silently into mutants that change nothing.
 */
import { parseAllDocuments } from 'yaml';
import { PRODUCT_PATHS, type Mutant } from './types.js';

export class MutantError extends Error {
  override name = 'MutantError';
}

function occurrences(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + 1)) count++;
  return count;
}

/** The source with the mutant's edit, or a MutantError saying why it cannot be planted. */
export function applyMutant(mutant: Mutant, source: string): string {
  const where = `mutant ${mutant.id} (${mutant.file})`;
  if (mutant.find === '') throw new MutantError(`${where}: empty find text`);
  if (mutant.find === mutant.replace) throw new MutantError(`${where}: replace equals find, the mutant changes nothing`);
  const count = occurrences(source, mutant.find);
  if (count !== 1) {
    const firstLine = mutant.find.split('\n')[0]!.trim();
    throw new MutantError(
      count === 0
        ? `${where}: find text no longer matches (first line: "${firstLine}") — update the mutant to the current file`
        : `${where}: find text matches ${count} times (first line: "${firstLine}") — make it unique`,
    );
  }
  const mutated = source.replace(mutant.find, () => mutant.replace);
  if (/\.ya?ml$/.test(mutant.file) && !mutant.breaksYaml) {
    const broken = parseAllDocuments(mutated).flatMap((doc) => ('errors' in doc ? doc.errors : []));
    if (broken.length > 0) throw new MutantError(`${where}: the edit leaves invalid YAML — ${broken[0]!.message.split('\n')[0]}`);
  }
  return mutated;
}

/** Every problem of a catalog against the current files (duplicate ids, non-product files, rot). */
export function catalogProblems(mutants: readonly Mutant[], read: (file: string) => string | undefined): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const mutant of mutants) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(mutant.id)) problems.push(`mutant ${mutant.id}: id must be kebab-case`);
    if (seen.has(mutant.id)) problems.push(`mutant ${mutant.id}: duplicate id`);
    seen.add(mutant.id);
    if (!mutant.rule.trim() || !mutant.description.trim()) problems.push(`mutant ${mutant.id}: rule and description are required`);
    if (!PRODUCT_PATHS.some((p) => (p.endsWith('/') ? mutant.file.startsWith(p) : mutant.file === p))) {
      problems.push(`mutant ${mutant.id}: ${mutant.file} is not a product file (${PRODUCT_PATHS.join(', ')})`);
      continue;
    }
    const source = read(mutant.file);
    if (source === undefined) {
      problems.push(`mutant ${mutant.id}: ${mutant.file} does not exist`);
      continue;
    }
    try {
      applyMutant(mutant, source);
    } catch (error) {
      if (!(error instanceof MutantError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}
