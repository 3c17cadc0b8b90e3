import { serviceRuntimeFor } from '@cinema/kit/service-process';
import { buildServices } from './build-services.js';

/**
 * Which mode `npm start` runs the platform in, decided by `NODE_ENV` (see `serviceRuntimeFor`), and what that mode
 * needs before the services start: production mode builds them first (a few seconds with esbuild), so a fresh clone
 * never runs a stale or missing build; development mode runs the TypeScript sources through tsx.
 *
 * Resolves with the line the launcher prints, so the operator always sees which mode runs.
 */
export async function prepareRunMode(env: NodeJS.ProcessEnv): Promise<string> {
  if (serviceRuntimeFor(env) === 'built') {
    const started = performance.now();
    await buildServices();
    return `production mode: NODE_ENV=production, services run the JavaScript built by \`npm run build\` (rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s); JWT_SECRET and SUBGRAPH_SECRET are required`;
  }
  return `development mode: NODE_ENV=${env.NODE_ENV || 'development'}, services run their TypeScript through tsx (NODE_ENV=production npm start runs the production build)`;
}
