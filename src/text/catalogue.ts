// The shape of a document language: every short piece of text the plan and the renderers put into documents. A
// second language is a second object of this type (the compiler then asks for every key), plus template overlays for
// the prose the templates hold. Entries that embed values are functions of exactly those values, so every language
// takes the same ones. Values themselves (IDs, hosts, cmdlets, permission names) are never here: they stay the same
// in every language.
import type { Cloud } from '../manifest/types.ts';
import type { DiagnosisId, StepId } from './ids.ts';

export type AlertKind = 'NOTE' | 'WARNING' | 'IMPORTANT';
export type PortalId = 'entra-admin-center' | 'azure-portal';
export type FlowNodeId = 'entra' | 'exo' | 'bizagi' | 'verify';
/** The labelled arrows of the flow diagram, in the order things happen. */
export type FlowArrowId = 'token-request' | 'token' | 'login' | 'verify';

export interface Catalogue {
  /** The BCP 47 tag of the language (the handout's `lang`). */
  tag: string;
  steps: {
    titles: Record<StepId, string>;
    /** A step's heading, which is also the text of every link to it: "Step 3: Grant admin consent". */
    heading: (number: number, title: string) => string;
    /** The step's number alone, as the portable flavour prints it below a heading made of the title: "Step 3". */
    label: (number: number) => string;
  };
  /** The bold label that opens an alert where the renderer has no alert syntax. */
  alerts: Record<AlertKind, string>;
  clouds: Record<Cloud, CloudText>;
  portals: Record<PortalId, PortalText>;
  /** Given the names and titles a diagnosis quotes, what each diagnosis says. */
  diagnoses: (quoted: DiagnosisQuotes) => Record<DiagnosisId, DiagnosisText>;
  flow: {
    /** Each box: its name, then what it holds. */
    nodes: Record<FlowNodeId, readonly string[]>;
    /**
     * Each arrow: its label in the diagram, and the same arrow as a sentence where no diagram is drawn; given the
     * environment's protocols (IMAP, POP, SMTP: only those it uses).
     */
    arrows: (protocols: readonly string[]) => Record<FlowArrowId, { label: string; sentence: string }>;
  };
  handout: HandoutText;
  /** Status words of the Exchange scripts' result table (for the scripts to take from here). */
  powershell: { status: Record<ScriptStatus, string> };
}

export interface CloudText {
  label: string;
  /** What our sources do not confirm for this cloud, said once in each document that shows one of its values. */
  caveat: string | null;
  /** Said as well when the environment uses SMTP. */
  smtpCaveat: string | null;
}

/** A web console's name and the names its menus use. */
export interface PortalText {
  name: string;
  /** The menu that holds App registrations and Enterprise applications. */
  entraId: string;
  enterpriseApps: string;
}

export interface DiagnosisText {
  /** What the user sees (an error code or server reply). Static text, Markdown-safe. */
  symptom: string;
  cause: string;
  /** Advice when no step of ours fixes it. */
  advice: string | null;
}

/** What diagnoses quote rather than say themselves: role names, and the titles of the steps they point at. */
export interface DiagnosisQuotes {
  roles: { imap: string; pop: string; smtp: string; ews: string };
  /** The roles the environment's token must carry (all three where no environment is meant). */
  requiredRoles: readonly string[];
  stepTitle: (id: StepId) => string;
}

export interface HandoutText {
  title: (project: string, environment: string) => string;
  /** The sentence under the title, around the manifest's file name. */
  intro: { beforeSource: string; afterSource: string };
  /** Around the names of the files generate wrote beside the page (the scripts), which it does not contain. */
  beside: { before: string; after: string };
  documents: string;
  runbook: string;
  checklist: string;
  fieldSheet: string;
  reset: string;
  copy: string;
  copyCommand: string;
  copyValue: string;
  /** What the page's script says in its status line. */
  script: { noStorage: string; resetDone: string; copied: string; copyFailed: string };
}

export type ScriptStatus =
  | 'alreadyPresent'
  | 'alreadyAbsent'
  | 'alreadySo'
  | 'created'
  | 'changed'
  | 'updated'
  | 'removed'
  | 'wouldBeCreated'
  | 'wouldBeChanged'
  | 'wouldBeUpdated'
  | 'wouldBeRemoved'
  | 'wouldBeReplaced'
  | 'failed';
