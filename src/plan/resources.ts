import type { CloudEndpoints } from './clouds.ts';
import { exchangeResourceAppId, exchangeResourceName } from './permissions.ts';
import type { ResourceId } from './protocols.ts';

/** An API the app gets a token for: its name in the portal and, per cloud, the scope to request. */
export interface ResourceFacts {
  id: ResourceId;
  /** As the portal's "Request API permissions" lists it. */
  name: string;
  appId: string;
  /** The token's expected audience and the `.default` scope requested, in this cloud. */
  audience: (cloud: CloudEndpoints) => string;
  scope: (cloud: CloudEndpoints) => string;
}

export const resources: Record<ResourceId, ResourceFacts> = {
  exchange: {
    id: 'exchange',
    name: exchangeResourceName,
    appId: exchangeResourceAppId,
    audience: (cloud) => cloud.resource,
    scope: (cloud) => cloud.scope,
  },
};
