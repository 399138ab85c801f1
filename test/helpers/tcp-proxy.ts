import net from 'node:net';

/**
 * A TCP hop between a client and a server that can go silent, as a NAT or load balancer does when
 * it drops an idle connection's mapping: nothing is forwarded and nothing is closed, either way.
 * Given a port, it listens there (a server that comes up late: until then, that port refuses).
 */
export async function startTcpProxy(target: { host: string; port: number }, listenOn = 0) {
  const open = new Set<net.Socket>();
  let silent = false;
  let cut = false;
  let refused = 0;
  const server = net.createServer((inbound) => {
    if (cut) {
      refused++;
      inbound.destroy();
      return;
    }
    const outbound = net.connect(target.port, target.host);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => !silent && to.write(chunk));
      from.on('end', () => !silent && to.end());
    };
    forward(inbound, outbound);
    forward(outbound, inbound);
  });
  await new Promise<void>((resolve) => server.listen(listenOn, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Stops forwarding on every connection, open or new, without closing any. */
    goSilent: () => void (silent = true),
    /** Forwards again, but only on connections made from now on: the silent ones stay dead. */
    recover: () => {
      const dead = [...open];
      silent = false;
      for (const s of dead) s.removeAllListeners('data').removeAllListeners('end');
    },
    /** Drops every connection, and each new one as it comes (a database that went away): counted. */
    cutOff: () => {
      cut = true;
      for (const s of open) s.destroy();
    },
    /** Connections dropped since cutOff(). */
    refused: () => refused,
    /** Forwards new connections again after cutOff(). */
    restore: () => void (cut = false),
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
