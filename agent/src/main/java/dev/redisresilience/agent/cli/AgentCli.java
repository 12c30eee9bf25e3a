package dev.redisresilience.agent.cli;

import dev.redisresilience.agent.AgentVersion;

import java.io.PrintStream;

/**
 * The jar's command line ({@code java -jar redis-resilience-agent.jar <command>}): {@code version},
 * {@code help}, {@code list}, {@code attach}, {@code status}, {@code force-fallback}, {@code fallback},
 * {@code clear-fallback-data} (see {@link Attach}).
 * Exit codes: 0 success, 1 failure (attach API missing, target unreachable), 2 usage error, 3 agent
 * already active (attach) / not active (status and switches) in the target.
 */
public final class AgentCli {
    private AgentCli() { }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String cmd = args == null || args.length == 0 ? "help" : args[0];
        if (cmd.equals("version") || cmd.equals("--version")) {
            out.println("redis-resilience-agent " + AgentVersion.get());
            return 0;
        }
        if (cmd.equals("help") || cmd.equals("--help") || cmd.equals("-h")) {
            usage(out);
            return 0;
        }
        if (cmd.equals("attach") || cmd.equals("status") || cmd.equals("list") || cmd.equals("force-fallback")
                || cmd.equals("fallback") || cmd.equals("clear-fallback-data")) {
            return ops(cmd, args, out, err);
        }
        err.println("redis-resilience-agent: unknown command '" + cmd + "'");
        usage(err);
        return 2;
    }

    private static int ops(String cmd, String[] args, PrintStream out, PrintStream err) {
        boolean needsPid = !cmd.equals("list");
        boolean needsSwitch = cmd.equals("force-fallback") || cmd.equals("fallback");
        if ((needsPid && args.length < 2) || (needsSwitch && (args.length != 3 || !(args[2].equals("on") || args[2].equals("off"))))
                || ((cmd.equals("status") || cmd.equals("clear-fallback-data")) && args.length != 2)
                || (!needsPid && args.length != 1)) {
            err.println("redis-resilience-agent: wrong arguments for '" + cmd + "'");
            usage(err);
            return 2;
        }
        try {
            Attach a = Attach.create(out, err);
            if (cmd.equals("list")) {
                return a.list();
            }
            String pid = args[1];
            if (cmd.equals("attach")) {
                StringBuilder agentArgs = new StringBuilder();
                for (int i = 2; i < args.length; i++) {
                    if (args[i].indexOf('=') <= 0) {
                        err.println("redis-resilience-agent: '" + args[i] + "' is not key=value");
                        return 2;
                    }
                    if (agentArgs.length() > 0) {
                        agentArgs.append(',');
                    }
                    agentArgs.append(args[i]);
                }
                return a.attach(pid, agentArgs.toString(), ownJar());
            }
            if (cmd.equals("status")) {
                return a.status(pid);
            }
            if (cmd.equals("clear-fallback-data")) {
                return a.invoke(pid, "clearFallbackData", null);
            }
            return a.invoke(pid, cmd.equals("fallback") ? "fallback" : "forceFallback", Boolean.valueOf(args[2].equals("on")));
        } catch (Attach.Unavailable e) {
            err.println("redis-resilience-agent: " + e.getMessage());
            return 1;
        } catch (Throwable t) {
            err.println("redis-resilience-agent: '" + cmd + "' failed: " + t);
            return 1;
        }
    }

    private static java.io.File ownJar() {
        try {
            java.io.File f = new java.io.File(AgentCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return f.isFile() ? f : null;
        } catch (Throwable t) {
            return null;
        }
    }

    private static void usage(PrintStream out) {
        out.println("redis-resilience-agent " + AgentVersion.get());
        out.println("Usage:");
        out.println("  java -javaagent:redis-resilience-agent.jar[=key=value,...] -jar app.jar   run an app under the agent");
        out.println("  java -jar redis-resilience-agent.jar version                              print the version");
        out.println("  java -jar redis-resilience-agent.jar help                                 this text");
        out.println("  java -jar redis-resilience-agent.jar list                                 JVMs to attach to");
        out.println("  java -jar redis-resilience-agent.jar attach <pid> [key=value ...]         load the agent into a running JVM");
        out.println("  java -jar redis-resilience-agent.jar status <pid>                         endpoints and figures");
        out.println("  java -jar redis-resilience-agent.jar force-fallback <pid> on|off          drill: serve every endpoint locally");
        out.println("  java -jar redis-resilience-agent.jar fallback <pid> on|off                switch the fallback off/on");
        out.println("  java -jar redis-resilience-agent.jar clear-fallback-data <pid>            drop the fallback's data");
        out.println("Configuration keys: see README.md (system property redis.resilience.<key>,");
        out.println("environment REDIS_RESILIENCE_<KEY>, agent argument key=value).");
    }
}
