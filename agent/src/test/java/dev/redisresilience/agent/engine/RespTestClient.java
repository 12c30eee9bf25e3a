package dev.redisresilience.agent.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test helper: a raw RESP connection to a redis-server this test started itself (never port 6379). */
final class RespTestClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    byte[] call(byte[][] argv) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            req.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.write(a);
            req.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(req.toByteArray());
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readValue(reply);
        return reply.toByteArray();
    }

    private String readLine(ByteArrayOutputStream copy) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) throw new IOException("closed");
            sb.append((char) b);
            copy.write(b);
        }
        in.read();
        copy.write('\r');
        copy.write('\n');
        return sb.toString();
    }

    private void readValue(ByteArrayOutputStream copy) throws IOException {
        int type = in.read();
        copy.write(type);
        String line = readLine(copy);
        switch (type) {
            case '$': case '=': case '!': {
                int n = Integer.parseInt(line);
                if (n < 0) return;
                byte[] b = in.readNBytes(n + 2);
                copy.write(b);
                return;
            }
            case '*': case '~': case '>': {
                int n = Integer.parseInt(line);
                for (int i = 0; i < n; i++) readValue(copy);
                return;
            }
            case '%': {
                int n = Integer.parseInt(line);
                for (int i = 0; i < 2 * n; i++) readValue(copy);
                return;
            }
            default:
        }
    }

    @Override public void close() throws IOException { socket.close(); }

    /** Starts a private redis-server on a free port; returns the process (port via {@link #port}). */
    static final class Server implements AutoCloseable {
        final Process process;
        final int port;
        final Path dir;

        Server() throws Exception {
            try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
            if (port == 6379) throw new IllegalStateException("refusing port 6379");
            dir = Files.createTempDirectory("engine-redis");
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--bind", "127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(20);
                }
            }
        }

        @Override public void close() {
            process.destroy();
            try { process.waitFor(5, TimeUnit.SECONDS); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
        }
    }

    static boolean redisAvailable() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
