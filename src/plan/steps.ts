import type { Catalogue } from '../text/catalogue.ts';
import type { StepId } from '../text/ids.ts';
import { stepAnchors, type Flavor } from './anchors.ts';

export type { StepId } from '../text/ids.ts';

export type Actor = 'entra' | 'consent' | 'exchange' | 'bizagi' | 'it-support';
export const actors: readonly Actor[] = ['entra', 'consent', 'exchange', 'bizagi', 'it-support'];

export interface Step {
  id: StepId;
  number: number;
  title: string;
  actor: Actor;
  /** "Step 3: Grant admin consent": the step's heading, and the text of every link to it. */
  heading: string;
  /** "Step 3": the number alone, which the portable flavour prints below a heading made of the title. */
  label: string;
  /** The explicit `<a id>` of the step's heading in runbook.md (its id). */
  anchor: string;
  /** Where a link to the step points in each Markdown flavour (`#…` inside runbook.md). */
  anchors: Record<Flavor, string>;
}

/** The steps in procedure order, with who does each; their titles are in the catalogue. */
const procedure: { id: StepId; actor: Actor }[] = [
  { id: 'register-app', actor: 'entra' },
  { id: 'add-permissions', actor: 'entra' },
  { id: 'grant-consent', actor: 'consent' },
  { id: 'create-secret', actor: 'entra' },
  { id: 'record-ids', actor: 'entra' },
  { id: 'register-service-principal', actor: 'exchange' },
  { id: 'grant-mailbox-access', actor: 'exchange' },
  { id: 'assign-smtp-rbac', actor: 'exchange' },
  { id: 'enable-smtp-auth', actor: 'exchange' },
  { id: 'configure-bizagi', actor: 'bizagi' },
  { id: 'verify', actor: 'it-support' },
];

/** Numbers the steps that apply, in procedure order, with their titles and headings in the catalogue's language. */
export function buildSteps(applies: (id: StepId) => boolean, text: Catalogue['steps']): Step[] {
  return procedure
    .filter((s) => applies(s.id))
    .map((s, i) => {
      const number = i + 1;
      const title = text.titles[s.id];
      const heading = text.heading(number, title);
      return {
        ...s,
        number,
        title,
        heading,
        label: text.label(number),
        anchor: s.id,
        anchors: stepAnchors({ id: s.id, heading, title }),
      };
    });
}

/** Where a link to a step points in a flavour's runbook (a plan fact: the step carries it). */
export const stepAnchor = (flavor: Flavor, step: Step): string => step.anchors[flavor];
