package dev.redisresilience.agent.engine.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Emulates the x87 80-bit {@code long double} arithmetic Redis uses for INCRBYFLOAT / HINCRBYFLOAT:
 * values are rounded to a 64-bit mantissa after parsing ({@code strtold}) and after the addition, then
 * printed as {@code "%.17Lf"} with trailing zeros removed ({@code ld2string(LD_STR_HUMAN)}). So
 * {@code 10.5 + 0.1 → "10.6"} and {@code 12345.6789 + 0.0001 → "12345.67899999999999938"}, like Redis 7.0
 * on x86-64.
 */
public final class LongDouble {
    /** Identity sentinels for parsed infinities. */
    static final BigDecimal POS_INF = new BigDecimal(BigInteger.ONE, -99999);
    static final BigDecimal NEG_INF = new BigDecimal(BigInteger.ONE.negate(), -99999);
    private static final BigInteger TWO63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private LongDouble() { }

    /** Parses like Redis {@code string2ld}; null when invalid. Infinities come back as the sentinels. */
    static BigDecimal parse(byte[] b) {
        int n = b.length;
        if (n == 0 || n >= 5 * 1024) return null;
        int i = 0;
        boolean neg = false;
        if (b[0] == '+' || b[0] == '-') { neg = b[0] == '-'; i = 1; }
        if (i < n && (b[i] == 'i' || b[i] == 'I')) {
            String rest = new String(b, i, n - i, StandardCharsets.US_ASCII);
            if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) return neg ? NEG_INF : POS_INF;
            return null;
        }
        if (!Numbers.decimalSyntax(b, i)) return null;
        BigDecimal v;
        try {
            String s = new String(b, StandardCharsets.US_ASCII);
            if (s.endsWith(".")) s = s + "0";
            v = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (v.signum() == 0) return BigDecimal.ZERO;
        int mag = v.precision() - v.scale(); // ~ decimal exponent + 1
        if (mag > 4932 || mag < -4930) return null; // ERANGE overflow / underflow
        return round64(v);
    }

    /** Rounds to the nearest value with a 64-bit binary mantissa (ties to even). */
    static BigDecimal round64(BigDecimal v) {
        if (v.signum() == 0) return BigDecimal.ZERO;
        BigDecimal x = v.abs();
        // estimate binary exponent of x
        double approxLog2 = (x.unscaledValue().bitLength() - 1) - x.scale() * 3.321928094887362;
        int e = (int) Math.floor(approxLog2) - 63;
        BigDecimal q;
        while (true) {
            q = scale2(x, -e);
            BigInteger ip = q.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            if (ip.compareTo(TWO63) < 0) { e--; continue; }
            if (ip.compareTo(TWO64) >= 0) { e++; continue; }
            break;
        }
        BigDecimal m = q.setScale(0, RoundingMode.HALF_EVEN);
        BigDecimal r = scale2(m, e);
        return v.signum() < 0 ? r.negate() : r;
    }

    /** x * 2^k, exactly. */
    private static BigDecimal scale2(BigDecimal x, int k) {
        if (k == 0) return x;
        if (k > 0) return x.multiply(TWO.pow(k));
        // dividing by 2^-k terminates: multiply by 5^-k and shift the decimal point
        return x.multiply(BigDecimal.valueOf(5).pow(-k)).movePointLeft(-k);
    }

    /** a + b in long double; null when the result is NaN or infinite. */
    static BigDecimal add(BigDecimal a, BigDecimal b) {
        if (a == POS_INF || a == NEG_INF || b == POS_INF || b == NEG_INF) return null;
        return round64(a.add(b));
    }

    /** {@code "%.17Lf"} with trailing zeros (and a trailing dot) removed; "-0" becomes "0". */
    static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
