// Fails loudly when npm scripts run under a Node older than 22 (the node@24 devDependency is missing).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`\n  This project needs Node 22 or newer; this is Node ${process.versions.node}.\n` +
    `  Run it through npm (npm start, npm test) after a full "npm install": the node@24\n` +
    `  devDependency then provides Node 24. An install with --ignore-scripts gives no Node binary.\n`);
  process.exit(1);
}
