package dev.redisresilience.agent.engine.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles exactly as Redis 7.0 replies them ({@code addReplyDouble}: C {@code "%.17g"}, with
 * {@code inf}/{@code -inf} spelled out): {@code 1.5 → "1.5"}, {@code 3 → "3"},
 * {@code 0.1 → "0.10000000000000001"}, {@code 1e20 → "1e+20"}.
 */
public final class DoubleFormat {
    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    private DoubleFormat() { }

    public static String g17(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        BigDecimal r = new BigDecimal(d).round(SEVENTEEN);
        int exp = r.precision() - r.scale() - 1; // decimal exponent of the leading digit
        BigDecimal stripped = r.stripTrailingZeros();
        if (exp < -4 || exp >= 17) {
            String digits = stripped.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder(digits.length() + 8);
            if (stripped.signum() < 0) sb.append('-');
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            if (ax < 10) sb.append('0');
            sb.append(ax);
            return sb.toString();
        }
        return stripped.toPlainString();
    }
}
