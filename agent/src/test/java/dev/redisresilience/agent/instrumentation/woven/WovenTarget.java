package dev.redisresilience.agent.instrumentation.woven;

/** A class for {@code TypeWeaveTest} to weave: each method a shape the Jedis weaves meet. */
public class WovenTarget {
    public String label = "x";
    public int count;
    public long total = 7;

    public WovenTarget() {
    }

    public WovenTarget(int count) {
        this.count = count;
    }

    /** Void, throws when {@code label} is null. */
    public void connect() {
        count++;
        if (label == null) {
            throw new IllegalStateException("no label");
        }
    }

    public String read(boolean fail) {
        if (fail) {
            throw new IllegalStateException("read");
        }
        return "r";
    }

    public String readToo(boolean fail) {
        if (fail) {
            throw new IllegalArgumentException("other");
        }
        return "r2";
    }

    public long sum(long a, double b, int c) {
        if (c < 0) {
            throw new IllegalArgumentException("negative");
        }
        return a + (long) b + c;
    }

    public String config(String config) {
        return "config:" + config;
    }

    /** Starts with a loop: a stack map frame at the method's first instruction. */
    public int spin(int n) {
        while (n > 5) {
            n--;
        }
        if (n < 0) {
            throw new IllegalStateException("below zero");
        }
        return n;
    }

    /** Its own handler catches first. */
    public String guarded(boolean fail) {
        try {
            if (fail) {
                throw new IllegalStateException("inner");
            }
            return "ok";
        } catch (IllegalStateException e) {
            total += 1;
            return "caught";
        }
    }

    public int skippable(int x) {
        return x * 2;
    }

    public String notWoven() {
        return "plain";
    }

    public String maybe(String in) {
        return "ran:" + in;
    }

    public void maybeVoid(int x) {
        count += x;
    }

    public long maybeLong(long x) {
        return x + 1;
    }

    public String many(int a, long b, String c) {
        return "many";
    }

    public String replaced(boolean yes) {
        if (yes) {
            return "yes";
        }
        return "no";
    }

    /** The calls a {@code CallWeave} rewrites: {@code info(..)} on a {@link Logger}, also inside a lambda. */
    public final Logger logger = new Logger();

    public void logs() {
        logger.info("direct");
        Runnable r = () -> logger.info("lambda {}", 1);
        r.run();
        logger.other("not void: left alone");
    }

    public static void logsStatically(Logger l) {
        l.info("static");
    }

    public static class Logger {
        public final java.util.List<String> lines = new java.util.ArrayList<>();

        public void info(String message) {
            lines.add(message);
        }

        public void info(String format, Object arg) {
            lines.add(format + " " + arg);
        }

        public String other(String message) {
            lines.add(message);
            return message;
        }
    }
}
