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
  /**
   * Every `aud` a token for this resource may carry. No Microsoft page states the value for these tokens (observed:
   * the resource URI without a trailing slash), so each plausible spelling of this one resource is accepted: the URI
   * with or without the slash, and the resource's appId. Compared without regard to case.
   */
  audiences: (cloud: CloudEndpoints) => string[];
  scope: (cloud: CloudEndpoints) => string;
  /**
   * Appended to the id of each check of this resource's token (`token`, `claim-roles` → `token-graph`,
   * `claim-roles-graph`). Empty for Exchange: its ids are older than tokens per resource, and reports, scripts that
   * read --json and the README name them.
   */
  checkSuffix: string;
}

export const resources: Record<ResourceId, ResourceFacts> = {
  exchange: {
    id: 'exchange',
    name: exchangeResourceName,
    appId: exchangeResourceAppId,
    audience: (cloud) => cloud.resource,
    audiences: (cloud) => [cloud.resource, `${cloud.resource}/`, exchangeResourceAppId],
    scope: (cloud) => cloud.scope,
    checkSuffix: '',
  },
};
