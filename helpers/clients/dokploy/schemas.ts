/**
 * The JSON shapes of Dokploy's REST API (tRPC procedures exposed over OpenAPI) that the gate reads.
 * Source: Dokploy/dokploy packages/server/src/db/schema/deployment.ts — table `deployment`,
 * `deploymentStatus` enum ("running" | "done" | "error", default "running");
 * `deployment.allByCompose` returns the rows of one compose, newest first (orderBy createdAt desc).
 * Objects are loose: extra fields pass through; status is kept as a string so that a status a
 * newer Dokploy adds (e.g. a cancelled state) is reported, not a crash.
 */
import { z } from 'zod';

export const DEPLOYMENT_STATUSES = ['running', 'done', 'error'] as const;
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

/** Error bodies (trpc-openapi): `{message, code, issues?}`. */
export const ErrorBodySchema = z.looseObject({ message: z.string().optional(), code: z.string().optional() });
