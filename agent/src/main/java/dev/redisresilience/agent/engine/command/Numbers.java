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
        double d;
        if (isHex(b, i)) {
            d = parseHex(b);
        } else {
            if (!decimalSyntax(b, i)) return Double.NaN;
            d = Double.parseDouble(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (Double.isInfinite(d)) return Double.NaN; // ERANGE overflow
        if (d == 0 && hasNonZeroDigit(b)) return Double.NaN; // ERANGE underflow
        return d;
    }

    /** True when b[i..] is a C99 hex float as strtod takes it: 0x hexdigits [. hexdigits] [p [+-] digits]. */
    static boolean isHex(byte[] b, int i) {
        int n = b.length;
        if (i + 2 > n || b[i] != '0' || (b[i + 1] != 'x' && b[i + 1] != 'X')) return false;
        i += 2;
        int digits = 0;
        while (i < n && Character.digit(b[i], 16) >= 0) { i++; digits++; }
        if (i < n && b[i] == '.') {
            i++;
            while (i < n && Character.digit(b[i], 16) >= 0) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < n && (b[i] == 'p' || b[i] == 'P')) {
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) i++;
            int ed = 0;
            while (i < n && b[i] >= '0' && b[i] <= '9') { i++; ed++; }
            if (ed == 0) return false;
        }
        return i == n;
    }

    /** A hex float (validated by {@link #isHex}) as the nearest double. */
    static double parseHex(byte[] b) {
        String s = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
        if (s.indexOf('p') < 0 && s.indexOf('P') < 0) s = s + "p0";
        if (s.startsWith("+")) s = s.substring(1);
        if (s.matches("[-]?0[xX]\\..*")) s = s.replaceFirst("0([xX])\\.", "0$10.");
        if (s.matches("[-]?0[xX][0-9a-fA-F]+\\.[pP].*")) s = s.replaceFirst("\\.([pP])", ".0$1");
        return Double.parseDouble(s);
    }

    /** A hex float (validated by {@link #isHex}) exactly, as a BigDecimal. */
    static java.math.BigDecimal hexExact(byte[] b) {
        String s = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
        boolean neg = s.startsWith("-");
        if (neg || s.startsWith("+")) s = s.substring(1);
        s = s.substring(2);
        int p = Math.max(s.indexOf('p'), s.indexOf('P'));
        int exp = 0;
        if (p >= 0) {
            String e = s.substring(p + 1);
            if (e.startsWith("+")) e = e.substring(1);
            exp = e.length() > 9 ? (e.startsWith("-") ? -99999 : 99999) : Integer.parseInt(e);
            s = s.substring(0, p);
        }
        int dot = s.indexOf('.');
        if (dot >= 0) {
            exp -= 4 * (s.length() - dot - 1);
            s = s.substring(0, dot) + s.substring(dot + 1);
        }
        java.math.BigDecimal m = new java.math.BigDecimal(new java.math.BigInteger(s.isEmpty() ? "0" : s, 16));
        if (exp > 20000 || exp < -20000) return exp > 0 && m.signum() != 0 ? null : java.math.BigDecimal.ZERO;
        java.math.BigDecimal v = exp >= 0 ? m.multiply(java.math.BigDecimal.valueOf(2).pow(exp))
                : m.multiply(java.math.BigDecimal.valueOf(5).pow(-exp)).movePointLeft(-exp);
        return neg ? v.negate() : v;
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
