import { startWorld, tenant, tls, type World } from './world.ts';
import type { EntraBehaviour } from './fake-entra.ts';
import type { MailBehaviour } from './fake-mail.ts';
import { startFakeEntraUser, type FakeEntraUser, type UserFlowBehaviour } from './fake-entra-user.ts';
import { startFakeGraph, type FakeGraph, type GraphBehaviour } from './fake-graph.ts';
import { contosoTenant } from './graph-directory.ts';

// The world of world.ts plus what `verify --tenant` reads: one authority host that serves the app's client
// credentials (forwarded to the world's fake Entra) and the administrator's sign-in, and a fake Graph holding
// contosoTenant(). `args` points verify at it (--authority-host is the shared host); the Graph host is `graph.url`.

/** The public client the administrator signs in with (Microsoft Graph Command Line Tools, facts §8). */
export const graphCommandLineTools = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const admin = {
  upn: 'exo-admin@contoso.com',
  oid: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
  name: 'Exchange Admin',
};

/** The administrator signing in with the Graph Command Line Tools client, registered with a loopback redirect URI. */
export const adminSignIn = (over: Partial<UserFlowBehaviour> = {}): UserFlowBehaviour => ({
  tenant,
  client: { id: graphCommandLineTools, redirectUris: ['http://localhost'] },
  user: admin,
  ...over,
});

export interface TenantWorld extends World {
  signIn: FakeEntraUser;
  graph: FakeGraph;
  /** https://127.0.0.1:PORT of the shared authority host. */
  authorityHost: string;
}

export async function startTenantWorld(
  opts: {
    entra?: Partial<EntraBehaviour>;
    mail?: Partial<MailBehaviour>;
    signIn?: Partial<UserFlowBehaviour>;
    graph?: Partial<GraphBehaviour>;
  } = {},
): Promise<TenantWorld> {
  const t = await tls();
  const world = await startWorld({ entra: opts.entra, mail: opts.mail });
  const signIn = await startFakeEntraUser(t, adminSignIn(opts.signIn), world.entra.url);
  const graph = await startFakeGraph(t, { tenant: contosoTenant(), ...opts.graph });
  const args = world.args.map((a) => (a === world.entra.url ? signIn.url : a));
  return {
    ...world,
    signIn,
    graph,
    authorityHost: signIn.url,
    args,
    close: async () => {
      await Promise.all([signIn.close(), graph.close()]);
      await world.close();
    },
  };
}
