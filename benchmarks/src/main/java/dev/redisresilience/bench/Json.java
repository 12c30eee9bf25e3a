package dev.redisresilience.bench;

import java.util.List;
import java.util.Map;

/** Minimal JSON writer for maps, lists, strings, numbers and booleans (results only; no parsing). */
final class Json {
    private Json() { }

    static String write(Object o) {
        StringBuilder b = new StringBuilder();
        write(b, o, "");
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object o, String indent) {
        if (o == null) {
            b.append("null");
        } else if (o instanceof Map<?, ?> m) {
            b.append("{");
            String in = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "\n" : ",\n").append(in);
                first = false;
                str(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), in);
            }
            b.append(first ? "}" : "\n" + indent + "}");
        } else if (o instanceof List<?> l) {
            b.append("[");
            String in = indent + "  ";
            boolean first = true;
            for (Object v : l) {
                b.append(first ? "\n" : ",\n").append(in);
                first = false;
                write(b, v, in);
            }
            b.append(first ? "]" : "\n" + indent + "]");
        } else if (o instanceof Double d) {
            b.append(d.isNaN() || d.isInfinite() ? "null" : String.valueOf(d));
        } else if (o instanceof Number || o instanceof Boolean) {
            b.append(o);
        } else {
            str(b, o.toString());
        }
    }

    private static void str(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
