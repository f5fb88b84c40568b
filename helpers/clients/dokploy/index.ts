/**
 * Dokploy API client for the deploy gate (client.ts); its stand-in for tests is helpers/standins/dokploy.
 * See client.ts for the endpoints and guarantees.
 */
export { createDokployClient, type DeployAndWaitOptions, type DeployOutcome, type DokployClient, type DokployClientOptions, type DokployProgress } from './client.js';
export {
  DokployDeploymentFailedError, DokployError, DokployHttpError, DokployNetworkError, DokployResponseShapeError, DokployTimeoutError,
  DokployUsageError,
} from './errors.js';
export { DEPLOYMENT_STATUSES, DeploymentSchema, type Deployment, type KnownDeploymentStatus } from './schemas.js';
