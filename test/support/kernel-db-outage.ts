/**
 * Run as a child process by src/kernel/db/db.test.ts (`node --import tsx <this file> <DATABASE_URL>`).
 * Opens the PostgreSQL database through a TCP proxy, then cuts every connection while a client is
 * checked out of the pool, as a database restart or a network failure would: once during a
 * readiness ping and once inside a transaction. Both calls must fail with an error; the process
 * must survive. Prints "survived" and exits 0, or crashes (exit code 1) with the uncaught error.
 */
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/kernel/db/index.js';

const target = new URL(process.argv[2] ?? '');
const sockets = new Set<net.Socket>();
const proxy = net.createServer((client) => {
  const upstream = net.connect(Number(target.port || 5432), target.hostname);
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  }
  client.pipe(upstream).pipe(client);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxied = new URL(target);
proxied.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

const database = await openDatabase({
  databaseUrl: proxied.toString(),
  databasePoolSize: 2,
  pgliteDir: 'memory://',
});

function cut() {
  for (const socket of sockets) socket.destroy();
}

// 1. A readiness ping takes an idle client just as its connection is cut.
await database.db.execute(sql`select 1`);
cut();
const ping = await database.ping(1000).then(
  () => 'answered',
  (error: Error) => `failed: ${error.message}`,
);
console.log(`ping ${ping}`);

// 2. A transaction is under way when the connection is cut.
const transaction = await database
  .transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    cut();
    await tx.execute(sql`select 2`);
  })
  .then(
    () => 'committed',
    (error: Error) => `failed: ${error.message}`,
  );
console.log(`transaction ${transaction}`);

await new Promise((resolve) => setTimeout(resolve, 100));
proxy.close();
await database.close().catch(() => {});
console.log('survived');
