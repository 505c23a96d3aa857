// Runs first in `npm start`, `npm test`, `npm run cli`, `npm run dev` and `npm run bench` (package.json): on a Node.js
// too old for the portal it stops with one line saying what is needed, instead of a stack trace from deep inside.
// Plain old JavaScript on purpose, so that any Node.js can run it. The portal needs 22.18: Node runs its TypeScript
// itself (type stripping, on by default from 22.18) and MikroORM 7 needs 22.17.
// `node scripts/check-node.cjs 20.20.2` checks the given version instead of the running one (for the tests).
'use strict';

var needed = [22, 18];
var version = process.argv[2] || process.versions.node;
var parts = version.replace(/^v/, '').split('.').map(Number);
var recent = parts[0] > needed[0] || (parts[0] === needed[0] && parts[1] >= needed[1]);

if (!recent) {
  console.error(
    'Chỉ số CCHC needs Node.js ' +
      needed.join('.') +
      ' or newer (24 LTS recommended); this is Node.js ' +
      version +
      '. Install a newer one from https://nodejs.org/en/download (or with nvm: nvm install 24) and run the command again.',
  );
  process.exit(1);
}
