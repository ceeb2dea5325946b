// Filters that work without JavaScript (artifact pages may be served under a strict content
// policy): radio buttons for the category and the prompt class, a checkbox for "changed only",
// placed before the list so that sibling selectors (`:checked ~ .cards > .card`) hide the cards
// that do not match. A CSS counter then says how many are shown: hidden cards do not count.
import { CATEGORIES, PROMPT_CLASSES } from '../../types.ts';
import { count, groupName } from '../format.ts';
import type { ReportSample } from './model.ts';
import { isChanged } from './order.ts';

interface Option {
  readonly id: string;
  readonly label: string;
  /** The card class the option keeps; undefined for "all". */
  readonly keeps?: string;
  readonly n: number;
}

interface Group {
  readonly name: string;
  readonly legend: string;
  readonly options: readonly Option[];
}

function groups(samples: readonly ReportSample[]): Group[] {
  const n = (pred: (s: ReportSample) => boolean) => samples.filter(pred).length;
  const all = { label: 'all', n: samples.length };
  return [
    {
      name: 'cat',
      legend: 'Category',
      options: [
        { id: 'f-cat-all', ...all },
        ...CATEGORIES.map((c) => ({
          id: `f-cat-${c}`,
          label: c,
          keeps: `cat-${c}`,
          n: n((s) => s.category === c),
        })),
      ],
    },
    {
      name: 'cls',
      legend: 'Prompt class',
      options: [
        { id: 'f-cls-all', ...all },
        ...PROMPT_CLASSES.map((k) => ({
          id: `f-cls-${k}`,
          label: groupName(k),
          keeps: `cls-${k}`,
          n: n((s) => s.promptClass === k),
        })),
      ],
    },
  ];
}

const CHANGED = 'f-changed';

/** The inputs (first, for the sibling selectors) and the visible bar of labels. */
export function filterControls(samples: readonly ReportSample[]): string {
  const gs = groups(samples);
  const inputs = [
    ...gs.flatMap((g) =>
      g.options.map(
        (o, i) =>
          `<input class="sr" type="radio" name="${g.name}" id="${o.id}"${i === 0 ? ' checked' : ''}>`,
      ),
    ),
    `<input class="sr" type="checkbox" id="${CHANGED}">`,
  ].join('');
  const bar = gs
    .map(
      (g) =>
        `<fieldset><legend>${g.legend}</legend>` +
        g.options
          .map(
            (o) => `<label for="${o.id}">${o.label} <span class="n">${count(o.n)}</span></label>`,
          )
          .join('') +
        '</fieldset>',
    )
    .join('');
  const changed = samples.filter(isChanged).length;
  const toggle = `<fieldset><legend>Show</legend><label for="${CHANGED}">changed only <span class="n">${count(changed)}</span></label></fieldset>`;
  return `${inputs}<div class="filters">${bar}${toggle}</div>`;
}

/** The rules that hide non-matching cards and mark the chosen labels. */
export function filterCss(samples: readonly ReportSample[]): string {
  const options = groups(samples).flatMap((g) => g.options);
  const hide = [
    ...options
      .filter((o) => o.keeps !== undefined)
      .map((o) => `#${o.id}:checked~.cards>.card:not(.${o.keeps})`),
    `#${CHANGED}:checked~.cards>.card:not(.changed)`,
  ];
  const ids = [...options.map((o) => o.id), CHANGED];
  const chosen = ids.map((id) => `#${id}:checked~.filters label[for=${id}]`);
  const focused = ids.map((id) => `#${id}:focus-visible~.filters label[for=${id}]`);
  return [
    `${hide.join(',')}{display:none}`,
    `${chosen.join(',')}{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}`,
    `${focused.join(',')}{outline:2px solid var(--accent);outline-offset:2px}`,
  ].join('\n');
}
