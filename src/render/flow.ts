// How the parts fit together, once: drawn as a Mermaid flowchart where the renderer draws Mermaid, and written as an
// ordered list where it does not (portable Markdown, the HTML handout). The sentences say what each arrow says.

export interface FlowNode {
  id: string;
  lines: string[];
}

export interface FlowEdge {
  from: string;
  to: string;
  label: string | null;
  dashed: boolean;
}

export const flow: { nodes: FlowNode[]; edges: FlowEdge[]; steps: string[] } = {
  nodes: [
    { id: 'entra', lines: ['Microsoft Entra ID', 'app registration, permissions, secret'] },
    { id: 'exo', lines: ['Exchange Online', 'service principal, mailbox access'] },
    { id: 'bizagi', lines: ['Bizagi', 'OAuth e-mail settings'] },
    { id: 'verify', lines: ['mail-oauth-runbook verify'] },
  ],
  edges: [
    { from: 'bizagi', to: 'entra', label: 'client credentials: token request', dashed: false },
    { from: 'entra', to: 'bizagi', label: 'access token with roles', dashed: false },
    { from: 'bizagi', to: 'exo', label: 'XOAUTH2 login: IMAP, POP, SMTP', dashed: false },
    { from: 'verify', to: 'entra', label: 'same token request and logins', dashed: true },
    { from: 'verify', to: 'exo', label: null, dashed: true },
  ],
  // The same arrows as sentences, in the order things happen.
  steps: [
    'Bizagi requests a token from Microsoft Entra ID with the client credentials of the app registration (its client ID and secret Value).',
    'Microsoft Entra ID answers with an access token whose roles are the application permissions granted to the app.',
    'Bizagi logs in to each mailbox in Exchange Online over IMAP, POP or SMTP with XOAUTH2 and that token; Exchange Online checks the service principal and its mailbox access.',
    'mail-oauth-runbook verify makes the same token request and the same logins, to prove the setup before Bizagi depends on it.',
  ],
};
