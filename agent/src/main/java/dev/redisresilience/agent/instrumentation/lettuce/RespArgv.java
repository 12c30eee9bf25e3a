package dev.redisresilience.agent.instrumentation.lettuce;

import java.nio.charset.StandardCharsets;

/**
 * Parses the wire form of one Redis request ({@code *N\r\n$len\r\nbytes\r\n...}), as written by Lettuce's
 * {@code RedisCommand#encode(ByteBuf)}, into argv. Client-free.
 */
final class RespArgv {
    private RespArgv() { }

    /** Returns argv, or null when the bytes are not exactly one well-formed RESP array of bulk strings. */
    static byte[][] parse(byte[] b) {
        if (b == null || b.length < 4 || b[0] != '*') {
            return null;
        }
        int[] pos = {1};
        long n = readLong(b, pos);
        if (n < 1 || n > Integer.MAX_VALUE) {
            return null;
        }
        byte[][] argv = new byte[(int) n][];
        for (int i = 0; i < n; i++) {
            if (pos[0] >= b.length || b[pos[0]] != '$') {
                return null;
            }
            pos[0]++;
            long len = readLong(b, pos);
            if (len < 0 || pos[0] + len + 2 > b.length) {
                return null;
            }
            byte[] arg = new byte[(int) len];
            System.arraycopy(b, pos[0], arg, 0, (int) len);
            argv[i] = arg;
            pos[0] += (int) len + 2;
        }
        return argv;
    }

    private static long readLong(byte[] b, int[] pos) {
        int p = pos[0];
        boolean neg = false;
        if (p < b.length && b[p] == '-') {
            neg = true;
            p++;
        }
        long v = 0;
        int digits = 0;
        while (p < b.length && b[p] != '\r') {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
            p++;
            digits++;
        }
        if (digits == 0 || p + 1 >= b.length || b[p + 1] != '\n') {
            return -1;
        }
        pos[0] = p + 2;
        return neg ? -v : v;
    }

    static String name(byte[][] argv) {
        return argv == null || argv.length == 0 ? "?" : new String(argv[0], StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
    }
}
