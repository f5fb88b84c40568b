/**
 * The JSON shapes of Dokploy's REST API (tRPC procedures exposed over OpenAPI) that the gate reads.
 * Source: Dokploy/dokploy packages/server/src/db/schema/deployment.ts (v0.30.2) — table `deployment`,
 * `deploymentStatus` enum ("running" | "done" | "error" | "cancelled" — cancelled since v0.25.4,
 * default "running"); `deployment.allByCompose` (apps/dokploy/server/api/routers/deployment.ts)
 * returns the rows of one compose, newest first (orderBy createdAt desc) — `[]` for a compose id
 * that has none, known or not.
 * Objects are loose: extra fields pass through; status is kept as a string so that a status a
 * newer Dokploy adds is reported, not a crash.
 */
import { z } from 'zod';

export const DEPLOYMENT_STATUSES = ['running', 'done', 'error', 'cancelled'] as const;
export type KnownDeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DeploymentSchema = z.looseObject({
  deploymentId: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  /** Null in the database means the column default, "running". */
  status: z.string().nullish().transform((s) => s ?? 'running'),
  composeId: z.string().nullish(),
  createdAt: z.string(),
  startedAt: z.string().nullish(),
  finishedAt: z.string().nullish(),
  /** Newer Dokploy versions store why a deployment failed. */
  errorMessage: z.string().nullish(),
});
export type Deployment = z.output<typeof DeploymentSchema>;

export const DeploymentListSchema = z.array(DeploymentSchema);

/** Error bodies: trpc-openapi's `{message, code, issues?}`; a refused API key is `{message: "Unauthorized"}` only (apps/dokploy/pages/api/[...trpc].ts). */
export const ErrorBodySchema = z.looseObject({ message: z.string().optional(), code: z.string().optional() });
