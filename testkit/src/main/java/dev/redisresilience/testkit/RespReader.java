package dev.redisresilience.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A RESP2/RESP3 reply parser. Reads exactly one reply per {@link #read()} from a stream, and can hand back
 * the exact bytes of that reply ({@link #readRaw()}).
 *
 * <p>Java mapping of the parsed value:
 * <ul>
 *   <li>simple string {@code +} → {@link String}</li>
 *   <li>error {@code -} and blob error {@code !} → {@link RespError}</li>
 *   <li>integer {@code :} → {@link Long}; big number {@code (} → {@link BigInteger}</li>
 *   <li>bulk string {@code $} → {@code byte[]}; verbatim string {@code =} → {@code byte[]} of the text
 *       (without the {@code txt:} format prefix); null bulk {@code $-1} → {@code null}</li>
 *   <li>array {@code *} → {@link List}; null array {@code *-1} → {@code null}</li>
 *   <li>RESP3 map {@code %} → {@link LinkedHashMap} (reply order kept)</li>
 *   <li>RESP3 set {@code ~} → {@link RespSet} (a List in reply order, marked as a set)</li>
 *   <li>RESP3 push {@code >} → {@link RespPush} (a List)</li>
 *   <li>RESP3 double {@code ,} → {@link Double}; boolean {@code #} → {@link Boolean}; null {@code _} → null</li>
 *   <li>RESP3 attributes {@code |} are skipped: the value that follows them is returned</li>
 * </ul>
 * Because {@code byte[]} has identity equality, use {@link #text(Object)} to turn a reply into a deep copy
 * whose bulk strings are UTF-8 {@link String}s (also as map keys): then {@code equals} works as expected.
 */
public final class RespReader {

    /** A RESP3 set reply: the elements in reply order (Redis leaves set order undefined). */
    public static final class RespSet extends ArrayList<Object> {
        public RespSet(Collection<?> c) { super(c); }
        public RespSet() { }
    }

    /** A RESP3 push message. */
    public static final class RespPush extends ArrayList<Object> {
        public RespPush(Collection<?> c) { super(c); }
        public RespPush() { }
    }

    private final InputStream in;
    private ByteArrayOutputStream capture;

    public RespReader(InputStream in) {
        this.in = in;
    }

    /** Parses one complete reply; throws if the bytes hold less, or more, than exactly one reply. */
    public static Object parse(byte[] resp) {
        try {
            RespReader r = new RespReader(new ByteArrayInputStream(resp));
            Object v = r.read();
            if (r.in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after one RESP reply: " + printable(resp));
            }
            return v;
        } catch (EOFException e) {
            throw new IllegalArgumentException("incomplete RESP reply: " + printable(resp), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one reply and returns its exact bytes (the reply is fully consumed). */
    public byte[] readRaw() throws IOException {
        capture = new ByteArrayOutputStream();
        try {
            read();
            return capture.toByteArray();
        } finally {
            capture = null;
        }
    }

    /** Reads and parses one reply. */
    public Object read() throws IOException {
        int t = readByte();
        switch (t) {
            case '+':
                return line();
            case '-':
                return new RespError(line());
            case ':':
                return Long.parseLong(line());
            case '(':
                return new BigInteger(line());
            case '$': {
                int n = Integer.parseInt(line());
                return n < 0 ? null : blob(n);
            }
            case '!': {
                int n = Integer.parseInt(line());
                return new RespError(new String(blob(n), StandardCharsets.UTF_8));
            }
            case '=': {
                int n = Integer.parseInt(line());
                byte[] b = blob(n);
                return b.length >= 4 && b[3] == ':' ? Arrays.copyOfRange(b, 4, b.length) : b;
            }
            case '*': {
                int n = Integer.parseInt(line());
                if (n < 0) {
                    return null;
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(read());
                }
                return l;
            }
            case '~': {
                int n = Integer.parseInt(line());
                RespSet s = new RespSet();
                for (int i = 0; i < n; i++) {
                    s.add(read());
                }
                return s;
            }
            case '>': {
                int n = Integer.parseInt(line());
                RespPush p = new RespPush();
                for (int i = 0; i < n; i++) {
                    p.add(read());
                }
                return p;
            }
            case '%': {
                int n = Integer.parseInt(line());
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = read();
                    m.put(k, read());
                }
                return m;
            }
            case '|': {
                int n = Integer.parseInt(line());
                for (int i = 0; i < 2 * n; i++) {
                    read();
                }
                return read();
            }
            case ',': {
                String s = line();
                switch (s) {
                    case "inf": return Double.POSITIVE_INFINITY;
                    case "-inf": return Double.NEGATIVE_INFINITY;
                    case "nan": return Double.NaN;
                    default: return Double.parseDouble(s);
                }
            }
            case '#': {
                String s = line();
                if (s.equals("t")) return Boolean.TRUE;
                if (s.equals("f")) return Boolean.FALSE;
                throw new IOException("bad RESP3 boolean: " + s);
            }
            case '_':
                line();
                return null;
            default:
                throw new IOException("unexpected RESP type byte 0x" + Integer.toHexString(t) + " ('" + (char) t + "')");
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed / end of RESP data");
        }
        if (capture != null) {
            capture.write(b);
        }
        return b;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(16);
        while (true) {
            int c = readByte();
            if (c == '\r') {
                int lf = readByte();
                if (lf != '\n') {
                    throw new IOException("expected LF after CR in RESP line");
                }
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
    }

    private byte[] blob(int n) throws IOException {
        byte[] data = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(data, off, n - off);
            if (r < 0) {
                throw new EOFException("connection closed inside a bulk string");
            }
            off += r;
        }
        if (capture != null) {
            capture.write(data, 0, n);
        }
        if (readByte() != '\r' || readByte() != '\n') {
            throw new IOException("bulk string not terminated by CRLF");
        }
        return data;
    }

    /**
     * Deep copy of a parsed reply with every {@code byte[]} turned into a UTF-8 String (lists, sets, pushes
     * and maps are copied recursively, keeping their kind and order). Other values are returned as they are.
     */
    public static Object text(Object v) {
        if (v instanceof byte[]) {
            return new String((byte[]) v, StandardCharsets.UTF_8);
        }
        if (v instanceof RespSet) {
            RespSet s = new RespSet();
            for (Object o : (RespSet) v) s.add(text(o));
            return s;
        }
        if (v instanceof RespPush) {
            RespPush s = new RespPush();
            for (Object o : (RespPush) v) s.add(text(o));
            return s;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<?>) v) l.add(text(o));
            return l;
        }
        if (v instanceof Map) {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) m.put(text(e.getKey()), text(e.getValue()));
            return m;
        }
        return v;
    }

    /** A bulk/simple string reply as a String (UTF-8); null stays null. */
    public static String str(Object v) {
        if (v == null) return null;
        if (v instanceof byte[]) return new String((byte[]) v, StandardCharsets.UTF_8);
        if (v instanceof String) return (String) v;
        throw new IllegalArgumentException("not a string reply: " + describe(v));
    }

    /** A readable rendering of a parsed reply (bulk strings quoted, errors marked). */
    public static String describe(Object v) {
        if (v == null) return "(nil)";
        if (v instanceof byte[]) return '"' + escape(new String((byte[]) v, StandardCharsets.UTF_8)) + '"';
        if (v instanceof String) return "+" + v;
        if (v instanceof RespError) return "(error) " + ((RespError) v).message();
        if (v instanceof Map) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(describe(e.getKey())).append(": ").append(describe(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder(v instanceof RespSet ? "~[" : v instanceof RespPush ? ">[" : "[");
            boolean first = true;
            for (Object o : (List<?>) v) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(describe(o));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Double) return "(double) " + v;
        if (v instanceof Boolean) return "(bool) " + v;
        return String.valueOf(v);
    }

    /** The RESP bytes shown with CR/LF and non-printable bytes escaped. */
    public static String printable(byte[] resp) {
        if (resp == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (byte b : resp) {
            int c = b & 0xff;
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c < 0x20 || c >= 0x7f) sb.append(String.format("\\x%02x", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return printable(s.getBytes(StandardCharsets.UTF_8)).replace("\"", "\\\"");
    }
}
