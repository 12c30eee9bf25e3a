package dev.redisresilience.agent.engine.command;

/**
 * Redis' strict number parsing: {@code string2ll} for integers (no spaces, no '+', no leading zeros,
 * no "-0") and {@code strtod} for doubles as Redis validates it (whole string consumed, no leading space,
 * no NaN, no overflow to infinity unless spelled "inf").
 */
public final class Numbers {
    /** Thrown-free sentinel holder: parse results come back through these fields' companions. */
    private Numbers() { }

    /** True when {@code b} is a valid Redis integer; the value is then {@link #parseLong}. */
    public static boolean isLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) return false;
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') { neg = true; i = 1; if (n == 1) return false; }
        if (b[i] == '0') return n == 1;
        if (b[i] < '1' || b[i] > '9') return false;
        long v = 0;
        for (; i < n; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) return false;
            if (v > (Long.MAX_VALUE - c) / 10) {
                // only -9223372036854775808 may pass
                if (neg && v == 922337203685477580L && c == 8 && i == n - 1) return true;
                return false;
            }
            v = v * 10 + c;
        }
        return true;
    }

    /** Parses a valid Redis integer; call only after {@link #isLong}. */
    public static long parseLong(byte[] b) {
        int i = 0;
        boolean neg = b[0] == '-';
        if (neg) i = 1;
        long v = 0;
        for (; i < b.length; i++) v = v * 10 - (b[i] - '0');
        return neg ? v : -v;
    }

    /** Parses a double like Redis {@code getDoubleFromObject}; returns NaN when invalid. */
    public static double parseDouble(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 5000) return Double.NaN;
        int i = 0;
        boolean neg = false;
        if (b[0] == '+' || b[0] == '-') { neg = b[0] == '-'; i = 1; }
        if (i < n && (b[i] == 'i' || b[i] == 'I')) {
            String rest = new String(b, i, n - i, java.nio.charset.StandardCharsets.US_ASCII);
            if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return Double.NaN;
        }
        if (!decimalSyntax(b, i)) return Double.NaN;
        double d = Double.parseDouble(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        if (Double.isInfinite(d)) return Double.NaN; // ERANGE overflow
        if (d == 0 && hasNonZeroDigit(b)) return Double.NaN; // ERANGE underflow
        return d;
    }

    /** [digits][.digits][(e|E)[+-]digits] with at least one mantissa digit, from {@code i} to the end. */
    static boolean decimalSyntax(byte[] b, int i) {
        int n = b.length;
        int digits = 0;
        while (i < n && b[i] >= '0' && b[i] <= '9') { i++; digits++; }
        if (i < n && b[i] == '.') {
            i++;
            while (i < n && b[i] >= '0' && b[i] <= '9') { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            int save = i;
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) i++;
            int ed = 0;
            while (i < n && b[i] >= '0' && b[i] <= '9') { i++; ed++; }
            if (ed == 0) i = save; // strtod stops before a bare 'e': trailing garbage
        }
        return i == n;
    }

    private static boolean hasNonZeroDigit(byte[] b) {
        for (byte c : b) {
            if (c == 'e' || c == 'E') break;
            if (c >= '1' && c <= '9') return true;
        }
        return false;
    }
}
