package dev.redisresilience.apps.common;

/** Command-line options every sample app understands: {@code --host H --port P --seconds S --rate N --verbose}. */
public final class AppOptions {
    public final String host;
    public final int port;
    public final double seconds;
    public final int opsPerSecond;
    public final boolean verbose;

    private AppOptions(String host, int port, double seconds, int opsPerSecond, boolean verbose) {
        this.host = host;
        this.port = port;
        this.seconds = seconds;
        this.opsPerSecond = opsPerSecond;
        this.verbose = verbose;
    }

    public static AppOptions parse(String[] args) {
        String host = "127.0.0.1";
        int port = 6379;
        double seconds = 10;
        int rate = 200;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--host".equals(a)) {
                host = args[++i];
            } else if ("--port".equals(a)) {
                port = Integer.parseInt(args[++i]);
            } else if ("--seconds".equals(a)) {
                seconds = Double.parseDouble(args[++i]);
            } else if ("--rate".equals(a)) {
                rate = Integer.parseInt(args[++i]);
            } else if ("--verbose".equals(a)) {
                verbose = true;
            } else {
                throw new IllegalArgumentException("unknown option " + a
                        + " (use --host H --port P --seconds S --rate OPS_PER_SECOND --verbose)");
            }
        }
        return new AppOptions(host, port, seconds, rate, verbose);
    }
}
