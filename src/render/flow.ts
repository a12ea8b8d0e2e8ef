// How the parts fit together, once: drawn as a Mermaid flowchart where the renderer draws Mermaid, and written as an
// ordered list where it does not (portable Markdown, the HTML handout). The sentences say what each arrow says; what
// the boxes and arrows say is in the catalogue.
import type { FlowArrowId, FlowNodeId } from '../text/catalogue.ts';
import { catalogueFor, type Language } from '../text/languages.ts';

export interface FlowNode {
  id: FlowNodeId;
  lines: string[];
}

export interface FlowEdge {
  from: FlowNodeId;
  to: FlowNodeId;
  label: string | null;
  dashed: boolean;
}

export interface Flow {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** The labelled arrows as sentences, in the order things happen. */
  steps: string[];
}

const nodes: FlowNodeId[] = ['entra', 'exo', 'bizagi', 'verify'];
const edges: { from: FlowNodeId; to: FlowNodeId; arrow: FlowArrowId | null; dashed: boolean }[] = [
  { from: 'bizagi', to: 'entra', arrow: 'token-request', dashed: false },
  { from: 'entra', to: 'bizagi', arrow: 'token', dashed: false },
  { from: 'bizagi', to: 'exo', arrow: 'login', dashed: false },
  { from: 'verify', to: 'entra', arrow: 'verify', dashed: true },
  { from: 'verify', to: 'exo', arrow: null, dashed: true },
];

/** The flow with its text in a language, naming the protocols (their labels) the environment uses. */
export function flowIn(language: Language, protocols: readonly string[]): Flow {
  const text = catalogueFor(language).flow;
  const arrows = text.arrows(protocols);
  return {
    nodes: nodes.map((id) => ({ id, lines: [...text.nodes[id]] })),
    edges: edges.map(({ arrow, ...e }) => ({ ...e, label: arrow && arrows[arrow].label })),
    steps: edges.flatMap((e) => (e.arrow ? [arrows[e.arrow].sentence] : [])),
  };
}
