package dev.redisresilience.agent.endpoint.probe;

import dev.redisresilience.agent.engine.command.CommandTable;
import dev.redisresilience.agent.reconcile.ErrorReply;
import dev.redisresilience.agent.reconcile.ReconcileConnection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The agent's own minimal RESP2 client, used by the probe and by reconcile. Blocking, one thread at a
 * time. Connects with a bounded connect timeout, optionally over TLS, authenticates ({@code AUTH user
 * password} or {@code AUTH password}), selects the db, and speaks plain RESP2 (no HELLO).
 */
public final class RespConnection implements Closeable, ReconcileConnection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int db;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Thrown by {@link #open} when Redis answered AUTH or SELECT with an error. Message is Redis's error. */
    public static final class HandshakeRejected extends IOException {
        private static final long serialVersionUID = 1L;

        HandshakeRejected(String redisError) { super(redisError); }
    }

    /**
     * Connects and performs AUTH / SELECT. {@code connectTimeoutMillis} bounds the TCP connect and the TLS
     * handshake; {@code readTimeoutMillis} bounds each reply afterwards.
     */
    public static RespConnection open(String host, int port, int connectTimeoutMillis, int readTimeoutMillis,
                                      String user, String password, int db, boolean tls,
                                      SSLSocketFactory sslFactory) throws IOException {
        Socket s = new Socket();
        RespConnection c = null;
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            s.setSoTimeout(connectTimeoutMillis);
            if (tls) {
                SSLSocketFactory f = sslFactory != null ? sslFactory : (SSLSocketFactory) SSLSocketFactory.getDefault();
                SSLSocket ssl = (SSLSocket) f.createSocket(s, host, port, true);
                ssl.setSoTimeout(connectTimeoutMillis);
                ssl.startHandshake();
                s = ssl;
            }
            c = new RespConnection(s);
            c.setReadTimeout(readTimeoutMillis);
            if (password != null) {
                Object r = user != null
                        ? c.call(b("AUTH"), b(user), b(password))
                        : c.call(b("AUTH"), b(password));
                if (r instanceof ErrorReply) {
                    throw new HandshakeRejected(((ErrorReply) r).message());
                }
            }
            if (db != 0) {
                Object r = c.call(b("SELECT"), b(Integer.toString(db)));
                if (r instanceof ErrorReply) {
                    throw new HandshakeRejected(((ErrorReply) r).message());
                }
                c.db = db;
            }
            return c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** One command, one reply: a String (simple), Long, byte[] (bulk, null for nil), List, or ErrorReply. */
    @Override
    public Object call(byte[]... argv) throws IOException {
        write(argv);
        out.flush();
        return read();
    }

    @Override
    public String command(byte[]... argv) throws IOException {
        Object r = call(argv);
        if (r instanceof ErrorReply) {
            return ((ErrorReply) r).message();
        }
        if (argv.length >= 2 && CommandTable.is(argv[0], "select")) {
            db = Integer.parseInt(new String(argv[1], StandardCharsets.US_ASCII));
        }
        return null;
    }

    @Override
    public void pipeline(List<byte[][]> commands, ReplySink sink) throws IOException {
        for (byte[][] argv : commands) {
            write(argv);
        }
        out.flush();
        for (int i = 0; i < commands.size(); i++) {
            Object r = read();
            sink.reply(i, r instanceof ErrorReply ? ((ErrorReply) r).message() : null);
        }
    }

    @Override
    public int db() { return db; }

    private void write(byte[][] argv) throws IOException {
        out.write('*');
        writeInt(argv.length);
        for (byte[] a : argv) {
            out.write('$');
            writeInt(a.length);
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    private void writeInt(int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis closed the connection");
        }
        switch (type) {
            case '+':
                return line();
            case '-':
                return new ErrorReply(line());
            case ':':
                return Long.parseLong(line());
            case '$': {
                int len = Integer.parseInt(line());
                if (len < 0) {
                    return null;
                }
                byte[] data = new byte[len];
                int off = 0;
                while (off < len) {
                    int n = in.read(data, off, len - off);
                    if (n < 0) {
                        throw new EOFException("Redis closed the connection");
                    }
                    off += n;
                }
                crlf();
                return data;
            }
            case '*': {
                int len = Integer.parseInt(line());
                if (len < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<Object>(Math.min(len, 1024));
                for (int i = 0; i < len; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type byte " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("Redis closed the connection");
            }
            if (c == '\r') {
                int n = in.read();
                if (n != '\n') {
                    throw new IOException("malformed RESP line");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    private void crlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new IOException("malformed RESP bulk string");
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
