package dev.redisresilience.agent.engine.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one RESP reply into a growable buffer, in RESP2 or RESP3 shape. Reusable: {@link #reset(int)}
 * starts a new reply, {@link #toByteArray()} copies it out. Not thread-safe (one per session).
 *
 * <p>Shape mapping (RESP3 type → RESP2 fallback, exactly as Redis 7 does): map → flat array of 2n,
 * set → array, null → {@code $-1} (bulk) or {@code *-1} (array, see {@link #nullArray()}),
 * double → bulk string formatted with {@link DoubleFormat#g17}, boolean → integer 0/1.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private byte[] buf = new byte[256];
    private int len;
    private int protocol = 2;

    public RespWriter reset(int protocol) {
        this.len = 0;
        this.protocol = protocol;
        return this;
    }

    public int protocol() { return protocol; }
    public boolean resp3() { return protocol >= 3; }
    public int length() { return len; }

    /** Drops what was written after {@code mark} (a value of {@link #length()}). */
    public void truncate(int mark) { len = mark; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, len); }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    private void put(byte b) { ensure(1); buf[len++] = b; }

    private void putBytes(byte[] b) { ensure(b.length); System.arraycopy(b, 0, buf, len, b.length); len += b.length; }

    private void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    }

    private void putLong(long v) {
        if (v == Long.MIN_VALUE) { putAscii("-9223372036854775808"); return; }
        ensure(20);
        if (v < 0) { buf[len++] = '-'; v = -v; }
        if (v < 10) { buf[len++] = (byte) ('0' + v); return; }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) digits++;
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) { buf[i] = (byte) ('0' + (v % 10)); v /= 10; }
        len = end;
    }

    private void crlf() { ensure(2); buf[len++] = '\r'; buf[len++] = '\n'; }

    /** Appends already-encoded RESP bytes. */
    public RespWriter raw(byte[] resp) { putBytes(resp); return this; }

    public RespWriter simple(String s) { put((byte) '+'); putAscii(s); crlf(); return this; }

    public RespWriter ok() { return simple("OK"); }

    /** An error reply; {@code msg} includes the code, e.g. {@code "ERR syntax error"}. */
    public RespWriter error(String msg) { put((byte) '-'); putAscii(msg); crlf(); return this; }

    public RespWriter integer(long v) { put((byte) ':'); putLong(v); crlf(); return this; }

    public RespWriter bulk(byte[] b) {
        if (b == null) return nullBulk();
        put((byte) '$'); putLong(b.length); crlf(); putBytes(b); crlf();
        return this;
    }

    public RespWriter bulk(byte[] b, int off, int n) {
        put((byte) '$'); putLong(n); crlf();
        ensure(n); System.arraycopy(b, off, buf, len, n); len += n;
        crlf();
        return this;
    }

    public RespWriter bulk(String s) { return bulk(s.getBytes(StandardCharsets.UTF_8)); }

    /** A bulk string holding the decimal form of {@code v} (e.g. CONFIG values). */
    public RespWriter bulkLong(long v) {
        int mark = len;
        put((byte) '$'); put((byte) '0'); crlf();
        int start = len;
        putLong(v);
        int n = len - start;
        byte[] digits = Arrays.copyOfRange(buf, start, len);
        len = mark;
        put((byte) '$'); putLong(n); crlf(); putBytes(digits); crlf();
        return this;
    }

    /** Null bulk string: {@code $-1} (RESP2) or {@code _} (RESP3). */
    public RespWriter nullBulk() {
        if (resp3()) { put((byte) '_'); crlf(); } else { putAscii("$-1"); crlf(); }
        return this;
    }

    /** Null array: {@code *-1} (RESP2) or {@code _} (RESP3). */
    public RespWriter nullArray() {
        if (resp3()) { put((byte) '_'); crlf(); } else { putAscii("*-1"); crlf(); }
        return this;
    }

    public RespWriter array(int n) { put((byte) '*'); putLong(n); crlf(); return this; }

    /** A map of {@code n} pairs: {@code %n} in RESP3, an array of 2n in RESP2. */
    public RespWriter map(int n) {
        if (resp3()) { put((byte) '%'); putLong(n); crlf(); } else array(2 * n);
        return this;
    }

    /** A set of {@code n} elements: {@code ~n} in RESP3, an array in RESP2. */
    public RespWriter set(int n) {
        if (resp3()) { put((byte) '~'); putLong(n); crlf(); } else array(n);
        return this;
    }

    /** A double: {@code ,<g17>} in RESP3, a bulk string in RESP2 (Redis 7.0 {@code addReplyDouble}). */
    public RespWriter dbl(double d) {
        String s = DoubleFormat.g17(d);
        if (resp3()) { put((byte) ','); putAscii(s); crlf(); } else bulk(s.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A boolean: {@code #t}/{@code #f} in RESP3, {@code :1}/{@code :0} in RESP2. */
    public RespWriter bool(boolean b) {
        if (resp3()) { put((byte) '#'); put((byte) (b ? 't' : 'f')); crlf(); } else integer(b ? 1 : 0);
        return this;
    }

    /** A verbatim string ({@code =len\r\ntxt:...}) in RESP3, a bulk string in RESP2 (used by INFO). */
    public RespWriter verbatim(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (!resp3()) return bulk(b);
        put((byte) '='); putLong(b.length + 4); crlf(); putAscii("txt:"); putBytes(b); crlf();
        return this;
    }

    static final byte[] crlfBytes() { return CRLF.clone(); }
}
