// The reporting layout shared by absolute numbers and comparisons: overall, by category, by class.
import { CATEGORIES, PROMPT_CLASSES, type Category, type PromptClass } from '../types.ts';
import { categoryGroup, classGroup, OVERALL_GROUP } from './cluster-table.ts';

export interface Breakdown<T> {
  readonly overall: T;
  readonly byCategory: Readonly<Record<Category, T>>;
  readonly byClass: Readonly<Record<PromptClass, T>>;
}

/** Builds a Breakdown by evaluating `make` on each reporting group index. */
export function breakdown<T>(make: (group: number) => T): Breakdown<T> {
  return {
    overall: make(OVERALL_GROUP),
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, make(categoryGroup(c))])) as Record<
      Category,
      T
    >,
    byClass: Object.fromEntries(PROMPT_CLASSES.map((p) => [p, make(classGroup(p))])) as Record<
      PromptClass,
      T
    >,
  };
}
