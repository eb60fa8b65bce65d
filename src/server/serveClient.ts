import path from 'node:path';
import express from 'express';
import { pagePaths } from '../client/routes.js';
import { CLIENT_DIST } from './clientBuild.js';

/** The built React pages: hashed assets cached for good, index.html for each page path, revalidated. */
export function serveClient(dist: string = CLIENT_DIST): express.Router {
  const router = express.Router();
  router.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.get([...pagePaths], (_req, res) => {
    res.set('cache-control', 'no-cache').sendFile(path.join(dist, 'index.html'));
  });
  return router;
}
