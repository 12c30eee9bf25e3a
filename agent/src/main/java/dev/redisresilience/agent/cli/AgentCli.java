package dev.redisresilience.agent.cli;

import dev.redisresilience.agent.AgentVersion;

import java.io.PrintStream;

/**
 * The jar's command line ({@code java -jar redis-resilience-agent.jar <command>}): {@code version},
 * {@code help}. {@code attach} and {@code status} are reserved and not available yet.
 * Exit codes: 0 success, 2 usage error or unavailable command.
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
        if (cmd.equals("attach") || cmd.equals("status")) {
            err.println("redis-resilience-agent: '" + cmd + "' is not available yet in this version ("
                    + AgentVersion.get() + ")");
            return 2;
        }
        err.println("redis-resilience-agent: unknown command '" + cmd + "'");
        usage(err);
        return 2;
    }

    private static void usage(PrintStream out) {
        out.println("redis-resilience-agent " + AgentVersion.get());
        out.println("Usage:");
        out.println("  java -javaagent:redis-resilience-agent.jar[=key=value,...] -jar app.jar   run an app under the agent");
        out.println("  java -jar redis-resilience-agent.jar version                              print the version");
        out.println("  java -jar redis-resilience-agent.jar help                                 this text");
        out.println("  java -jar redis-resilience-agent.jar attach <pid> [key=value ...]         (not available yet)");
        out.println("  java -jar redis-resilience-agent.jar status <pid>                         (not available yet)");
        out.println("Configuration keys: see README.md (system property redis.resilience.<key>,");
        out.println("environment REDIS_RESILIENCE_<KEY>, agent argument key=value).");
    }
}
