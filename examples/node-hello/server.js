// Prints a greeting read from data/, with the Node major version it runs on.
const fs = require('node:fs');
const path = require('node:path');

const greeting = fs.readFileSync(path.join(__dirname, 'data', 'greeting.txt'), 'utf8').trim();
console.log(`${greeting} from Node ${process.versions.node.split('.')[0]}`);
