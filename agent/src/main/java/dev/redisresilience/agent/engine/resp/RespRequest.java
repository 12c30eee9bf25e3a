package dev.redisresilience.agent.engine.resp;

/**
 * The wire form of a Redis request, a RESP array of bulk strings ({@code *N\r\n$len\r\nbytes\r\n...}), the
 * only form clients send: what adapters parse into the engine's argv and encode back. Stateless; thread-safe.
 */
public final class RespRequest {
    private RespRequest() { }

    /** Returns argv, or null when {@code b} is not exactly one well-formed request. */
    public static byte[][] parse(byte[] b) {
        if (b == null) {
            return null;
        }
        int[] end = new int[1];
        byte[][] argv = parse(b, 0, b.length, end);
        return argv != null && end[0] == b.length ? argv : null;
    }

    /**
     * Parses a command starting at {@code from}; returns its argv and sets {@code end[0]} to the index after
     * it, or returns null when the bytes up to {@code limit} hold no complete, well-formed command.
     */
    public static byte[][] parse(byte[] b, int from, int limit, int[] end) {
        int p = from;
        if (p >= limit || b[p] != '*') {
            return null;
        }
        long[] num = new long[1];
        p = number(b, p + 1, limit, num);
        if (p < 0 || num[0] < 1 || num[0] > 1_000_000) {
            return null;
        }
        byte[][] argv = new byte[(int) num[0]][];
        for (int i = 0; i < argv.length; i++) {
            if (p >= limit || b[p] != '$') {
                return null;
            }
            p = number(b, p + 1, limit, num);
            if (p < 0 || num[0] < 0 || num[0] > Integer.MAX_VALUE - 2) {
                return null;
            }
            int len = (int) num[0];
            if ((long) p + len + 2 > limit) {
                return null;
            }
            if (b[p + len] != '\r' || b[p + len + 1] != '\n') {
                return null;
            }
            byte[] arg = new byte[len];
            System.arraycopy(b, p, arg, 0, len);
            argv[i] = arg;
            p += len + 2;
        }
        end[0] = p;
        return argv;
    }

    /** Reads digits up to CRLF; returns the index after CRLF or -1. */
    private static int number(byte[] b, int p, int limit, long[] out) {
        long v = 0;
        int digits = 0;
        boolean neg = false;
        if (p < limit && b[p] == '-') {
            neg = true;
            p++;
        }
        while (p < limit && b[p] >= '0' && b[p] <= '9') {
            v = v * 10 + (b[p] - '0');
            if (++digits > 12) {
                return -1;
            }
            p++;
        }
        if (digits == 0 || p + 1 >= limit || b[p] != '\r' || b[p + 1] != '\n') {
            return -1;
        }
        out[0] = neg ? -v : v;
        return p + 2;
    }

    /** The RESP request for argv (array of bulk strings). */
    public static byte[] encode(byte[][] argv) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] head = ("*" + argv.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(head, 0, head.length);
        for (byte[] a : argv) {
            byte[] len = ("$" + a.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.write(len, 0, len.length);
            out.write(a, 0, a.length);
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The command name in upper case, for messages; {@code "?"} when there is none. */
    public static String commandName(byte[][] argv) {
        return argv == null || argv.length == 0 || argv[0] == null ? "?"
                : new String(argv[0], java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
    }
}
