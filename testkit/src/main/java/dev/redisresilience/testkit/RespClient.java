package dev.redisresilience.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A tiny blocking RESP client for assertions and the differential oracle. One socket, one command at a
 * time; not thread-safe. RESP3 after {@code call("HELLO", "3")} (or {@link #hello3()}).
 *
 * <p>{@link #call} returns the parsed reply (see {@link RespReader} for the Java mapping: bulk strings are
 * {@code byte[]}, errors are {@link RespError} values — never thrown); {@link #callText} returns the same with
 * bulk strings as Strings; {@link #callRaw} returns the exact reply bytes. I/O failures (including a read
 * timeout, see {@link #timeout(Duration)}) throw {@link UncheckedIOException}.
 */
public final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final RespReader reader;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.reader = new RespReader(new BufferedInputStream(socket.getInputStream()));
    }

    /** Connects with a 5 s connect timeout and a 10 s read timeout. */
    public static RespClient connect(String host, int port) {
        return connect(host, port, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public static RespClient connect(String host, int port, Duration connectTimeout, Duration readTimeout) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            s.setSoTimeout((int) readTimeout.toMillis());
            return new RespClient(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing
            }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port + ": " + e, e);
        }
    }

    /** Sets the read timeout of subsequent calls. */
    public RespClient timeout(Duration readTimeout) {
        try {
            socket.setSoTimeout((int) readTimeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Object call(String... argv) {
        return call(toBytes(argv));
    }

    public Object call(byte[]... argv) {
        return RespReader.parse(callRaw(argv));
    }

    /** Like {@link #call(String...)} with bulk strings converted to Strings ({@link RespReader#text}). */
    public Object callText(String... argv) {
        return RespReader.text(call(argv));
    }

    public byte[] callRaw(String... argv) {
        return callRaw(toBytes(argv));
    }

    /** Sends one command and returns the exact bytes of its reply. */
    public byte[] callRaw(byte[]... argv) {
        try {
            out.write(encode(argv));
            out.flush();
            return reader.readRaw();
        } catch (IOException e) {
            throw new UncheckedIOException("RESP call " + (argv.length > 0 ? new String(argv[0], StandardCharsets.UTF_8) : "")
                    + " failed: " + e, e);
        }
    }

    /** Sends HELLO 3 and returns its (map) reply. */
    public Object hello3() {
        return call("HELLO", "3");
    }

    /** Reads one more reply without sending anything (RESP3 pushes, pipelining). */
    public Object readReply() {
        try {
            return reader.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The RESP encoding of a command (array of bulk strings). */
    public static byte[] encode(byte[]... argv) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    public static byte[][] toBytes(String... argv) {
        byte[][] r = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            r[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return r;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing
        }
    }
}
