import { describePostsConformance } from '../../conformance/posts-suite.js';
import { makeX } from './make-adapter.js';

describePostsConformance({
  channel: 'x',
  media: [],
  createPath: '/2/tweets',
  deletes: true,
  makeAdapter: (sandbox, options) => makeX({ url: sandbox.url, dryRun: options?.dryRun, requests: options?.observed }),
});
