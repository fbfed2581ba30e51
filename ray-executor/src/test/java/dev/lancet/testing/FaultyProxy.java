package dev.lancet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, which can misbehave for a while as object stores
 * do under load: answer every request {@code 503 SlowDown}, or drop every connection. Starting a
 * fault closes the open connections, so pooled clients meet it on their next request. Counts what
 * it refused, so a test can show the fault was met.
 */
public final class FaultyProxy implements AutoCloseable {
  /** How the proxy treats a new connection. */
  public enum Mode {
    FORWARD,
    SLOW_DOWN,
    DROP
  }

  private static final byte[] SLOW_DOWN =
      ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
              + "Connection: close\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile Mode mode = Mode.FORWARD;
  private volatile int faultsLeft;

  public FaultyProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::acceptLoop, "faulty-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * Misbehaves in {@code how} for the next {@code connections} connections, then forwards again.
   */
  public void fault(Mode how, int connections) {
    faultsLeft = connections;
    mode = how;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  /** Connections refused so far (503 or dropped). */
  public int refused() {
    return refused.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Mode now = mode;
        if (now != Mode.FORWARD) {
          if (--faultsLeft <= 0) {
            mode = Mode.FORWARD;
          }
          refused.incrementAndGet();
          refuse(client, now);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private static void refuse(Socket client, Mode how) {
    Thread t =
        new Thread(
            () -> {
              try (client) {
                if (how == Mode.SLOW_DOWN) {
                  readHead(client.getInputStream());
                  client.getOutputStream().write(SLOW_DOWN);
                  client.getOutputStream().flush();
                }
                // DROP: closed without a byte
              } catch (IOException e) {
                // the client gave up first
              }
            },
            "faulty-proxy-refuse");
    t.setDaemon(true);
    t.start();
  }

  /** Reads a request's head (up to the blank line), so the 503 is an answer, not a reset. */
  private static void readHead(InputStream in) throws IOException {
    int state = 0;
    int b;
    while ((b = in.read()) >= 0) {
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
      if (state == 4) {
        return;
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "faulty-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
